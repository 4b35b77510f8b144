"""A counter file taken into the citizen's own account with its number and PIN (issue 16,
finding 2) is recorded on the file's activity: the new kind ``claimed``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("perizinan", "0006_upload_scan_status"),
    ]

    operations = [
        migrations.AlterField(
            model_name="aktivitasberkas",
            name="kind",
            field=models.CharField(
                choices=[
                    ("note", "Catatan internal"),
                    ("claim", "Diambil"),
                    ("release", "Dilepas"),
                    ("reassign", "Dialihkan ke petugas lain"),
                    ("reroute", "Rute dialihkan"),
                    ("verdict", "Pemeriksaan dokumen"),
                    ("field_check", "Berita acara pemeriksaan"),
                    ("assisted", "Dientri di loket"),
                    ("claimed", "Diklaim pemohon ke akunnya"),
                ],
                max_length=20,
                verbose_name="jenis",
            ),
        ),
    ]
