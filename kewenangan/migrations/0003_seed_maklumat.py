"""A first service pledge, so that /maklumat/ is never empty on a fresh install. Admins edit it
(or add a newer one) in Django admin."""

import datetime

from django.db import migrations

PLEDGE = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai dengan standar "
    "pelayanan yang telah ditetapkan, memberikan pelayanan yang cepat, mudah, transparan, "
    "pasti dan tanpa pungutan di luar ketentuan, serta tidak diskriminatif, termasuk bagi "
    "penyandang disabilitas, lanjut usia, ibu hamil dan kelompok rentan lainnya.\n\n"
    "Kami akan menanggapi setiap pengaduan, saran dan masukan masyarakat sesuai ketentuan, dan "
    "menolak segala bentuk percaloan, gratifikasi dan pungutan liar.\n\n"
    "Apabila kami tidak menepati janji ini, kami siap menerima sanksi sesuai dengan peraturan "
    "perundang-undangan yang berlaku."
)


def seed(apps, schema_editor):
    Maklumat = apps.get_model("kewenangan", "Maklumat")
    if not Maklumat.objects.exists():
        Maklumat.objects.create(
            title="Maklumat Pelayanan",
            body=PLEDGE,
            signatory_title=(
                "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
            ),
            effective_date=datetime.date(2026, 1, 2),
            active=True,
        )


class Migration(migrations.Migration):
    dependencies = [("kewenangan", "0002_holder_history_calendar_pledge")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
