"""Malware scanning of uploads (perizinan.scanning): the scan state of the applicant's
documents and of the field reports (BAP).

Rows stored before scanning existed become ``unscanned``: they stay visible, and the rescan
task scans them once a scanner answers (after the held ones). New rows default to ``pending``.
An infected file is deleted and its ``stored_name`` cleared, so the name is unique only when set.
"""

from django.db import migrations, models

SCAN_CHOICES = [
    ("pending", "Menunggu pemindaian"),
    ("clean", "Bersih"),
    ("infected", "Terdeteksi virus"),
    ("unscanned", "Tidak dipindai"),
]


def scan_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="scan_status",
            field=models.CharField(
                choices=SCAN_CHOICES,
                default="unscanned",
                max_length=12,
                verbose_name="pemindaian virus",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name=model_name,
            name="scan_status",
            field=models.CharField(
                choices=SCAN_CHOICES,
                default="pending",
                max_length=12,
                verbose_name="pemindaian virus",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="scanned_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dipindai pada"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="scan_signature",
            field=models.CharField(blank=True, max_length=200, verbose_name="temuan pemindai"),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="stored_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="nama tersimpan"),
        ),
        migrations.AddConstraint(
            model_name=model_name,
            constraint=models.UniqueConstraint(
                condition=models.Q(("stored_name", ""), _negated=True),
                fields=("stored_name",),
                name=f"{model_name}_stored_name_unique",
            ),
        ),
        migrations.AddIndex(
            model_name=model_name,
            index=models.Index(
                condition=models.Q(("scan_status__in", ("pending", "unscanned"))),
                fields=["id"],
                name=f"{model_name}_to_scan_idx",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("perizinan", "0005_move_notifikasi_akuntabilitas"),
    ]

    operations = [*scan_fields("dokumen"), *scan_fields("beritaacara")]
