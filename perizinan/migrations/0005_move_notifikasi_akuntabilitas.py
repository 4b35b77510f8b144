"""Notifications and public accountability leave perizinan for their own apps (``notifikasi``,
``akuntabilitas``), with every row kept.

1. The outbox row's link to an application becomes a plain ``reference`` (the application
   number): ``notifikasi`` knows nothing of applications. The number is copied first.
2. The moved models leave perizinan's migration state only; their tables stay. The new apps'
   ``0001`` take them over under the same tables, and their ``0002`` rename the tables.
"""

from django.db import migrations, models


def copy_numbers(apps, schema_editor):
    Notifikasi = apps.get_model("perizinan", "Notifikasi")
    Permohonan = apps.get_model("perizinan", "Permohonan")
    numbers = dict(Permohonan.objects.exclude(number="").values_list("pk", "number"))
    for row in Notifikasi.objects.filter(permohonan__isnull=False).only("pk", "permohonan_id"):
        number = numbers.get(row.permohonan_id, "")
        if number:
            Notifikasi.objects.filter(pk=row.pk).update(reference=number)


def link_numbers(apps, schema_editor):
    Notifikasi = apps.get_model("perizinan", "Notifikasi")
    Permohonan = apps.get_model("perizinan", "Permohonan")
    by_number = dict(Permohonan.objects.exclude(number="").values_list("number", "pk"))
    for row in Notifikasi.objects.exclude(reference="").only("pk", "reference"):
        if row.reference in by_number:
            Notifikasi.objects.filter(pk=row.pk).update(permohonan_id=by_number[row.reference])


class Migration(migrations.Migration):
    dependencies = [
        ("perizinan", "0004_aksesdokumen_user_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="notifikasi",
            name="reference",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Nomor berkas atau tiket yang dibicarakan pesan ini (untuk pencarian).",
                max_length=60,
                verbose_name="rujukan",
            ),
        ),
        migrations.RunPython(copy_numbers, link_numbers, elidable=False),
        migrations.RemoveField(model_name="notifikasi", name="permohonan"),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="jawabansurvei",
                    name="jenis_izin",
                ),
                migrations.RemoveField(
                    model_name="jawabansurvei",
                    name="opd",
                ),
                migrations.RemoveField(
                    model_name="nilaiunsur",
                    name="jawaban",
                ),
                migrations.RemoveField(
                    model_name="notifikasi",
                    name="recipient",
                ),
                migrations.RemoveField(
                    model_name="pengaduan",
                    name="answered_by",
                ),
                migrations.RemoveField(
                    model_name="pengaduan",
                    name="handled_by",
                ),
                migrations.RemoveField(
                    model_name="pengaduan",
                    name="jenis_izin",
                ),
                migrations.RemoveField(
                    model_name="pengaduan",
                    name="opd",
                ),
                migrations.RemoveField(
                    model_name="pengaduan",
                    name="permohonan",
                ),
                migrations.RemoveField(
                    model_name="pengaduan",
                    name="reporter",
                ),
                migrations.RemoveField(
                    model_name="riwayatpengaduan",
                    name="pengaduan",
                ),
                migrations.DeleteModel(
                    name="PengaturanPengaduan",
                ),
                migrations.RemoveField(
                    model_name="riwayatpengaduan",
                    name="actor",
                ),
                migrations.DeleteModel(
                    name="TemplatNotifikasi",
                ),
                migrations.RemoveField(
                    model_name="undangansurvei",
                    name="permohonan",
                ),
                migrations.DeleteModel(
                    name="JawabanSurvei",
                ),
                migrations.DeleteModel(
                    name="NilaiUnsur",
                ),
                migrations.DeleteModel(
                    name="Notifikasi",
                ),
                migrations.DeleteModel(
                    name="Pengaduan",
                ),
                migrations.DeleteModel(
                    name="RiwayatPengaduan",
                ),
                migrations.DeleteModel(
                    name="UndanganSurvei",
                ),
            ],
        ),
    ]
