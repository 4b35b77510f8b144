"""Malware scanning of complaint attachments (perizinan.scanning): the attachment's scan
state. Attachments stored before scanning existed become ``unscanned`` (still served, scanned
by the rescan task once a scanner answers); complaints without one keep "" ."""

from django.db import migrations, models


def mark_existing_unscanned(apps, schema_editor):
    Pengaduan = apps.get_model("akuntabilitas", "Pengaduan")
    Pengaduan.objects.exclude(attachment_name="").update(attachment_scan_status="unscanned")


class Migration(migrations.Migration):
    dependencies = [
        ("akuntabilitas", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pengaduan",
            name="attachment_scan_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pending", "Menunggu pemindaian"),
                    ("clean", "Bersih"),
                    ("infected", "Terdeteksi virus"),
                    ("unscanned", "Tidak dipindai"),
                ],
                max_length=12,
                verbose_name="pemindaian virus lampiran",
            ),
        ),
        migrations.AddField(
            model_name="pengaduan",
            name="attachment_scanned_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="lampiran dipindai pada"
            ),
        ),
        migrations.AddField(
            model_name="pengaduan",
            name="attachment_scan_signature",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="temuan pemindai lampiran"
            ),
        ),
        migrations.RunPython(mark_existing_unscanned, migrations.RunPython.noop),
    ]
