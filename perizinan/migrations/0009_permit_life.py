import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("perizinan", "0008_decisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SalinanIzin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="ID publik"
                    ),
                ),
                ("sequence", models.PositiveSmallIntegerField(verbose_name="salinan ke-")),
                ("reason", models.CharField(max_length=300, verbose_name="alasan")),
                (
                    "file_name",
                    models.CharField(max_length=200, unique=True, verbose_name="berkas tersimpan"),
                ),
                ("file_size", models.PositiveIntegerField(verbose_name="ukuran (byte)")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 berkas")),
                ("created_at", models.DateTimeField(verbose_name="diterbitkan pada")),
            ],
            options={
                "verbose_name": "salinan izin",
                "verbose_name_plural": "salinan izin",
                "ordering": ["izin", "sequence"],
            },
        ),
        migrations.AddField(
            model_name="izin",
            name="place_of_issue",
            field=models.CharField(blank=True, max_length=100, verbose_name="tempat penetapan"),
        ),
        migrations.AddField(
            model_name="izin",
            name="printed_data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data tercetak"),
        ),
        migrations.AddField(
            model_name="izin",
            name="printed_fields",
            field=models.JSONField(blank=True, default=list, verbose_name="isian tercetak"),
        ),
        migrations.AddField(
            model_name="izin",
            name="signer_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="nama penanda tangan"),
        ),
        migrations.AddField(
            model_name="izin",
            name="signer_nip",
            field=models.CharField(blank=True, max_length=18, verbose_name="NIP penanda tangan"),
        ),
        migrations.AddField(
            model_name="izin",
            name="signer_rank",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="pangkat penanda tangan"
            ),
        ),
        migrations.AddField(
            model_name="izin",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="digantikan pada"),
        ),
        migrations.AddField(
            model_name="izin",
            name="superseded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supersedes",
                to="perizinan.izin",
                verbose_name="digantikan oleh",
            ),
        ),
        migrations.AddField(
            model_name="permohonan",
            name="kind",
            field=models.CharField(
                choices=[
                    ("baru", "Permohonan baru"),
                    ("perpanjangan", "Perpanjangan"),
                    ("perubahan", "Perubahan data"),
                ],
                default="baru",
                max_length=20,
                verbose_name="jenis permohonan",
            ),
        ),
        migrations.AddField(
            model_name="permohonan",
            name="previous_izin",
            field=models.ForeignKey(
                blank=True,
                help_text="Izin yang diperpanjang atau diubah oleh permohonan ini.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="follow_ups",
                to="perizinan.izin",
                verbose_name="izin sebelumnya",
            ),
        ),
        migrations.AlterField(
            model_name="izin",
            name="status",
            field=models.CharField(
                choices=[
                    ("berlaku", "Berlaku"),
                    ("kedaluwarsa", "Kedaluwarsa"),
                    ("dicabut", "Dicabut"),
                    ("diganti", "Diganti versi baru"),
                ],
                db_index=True,
                default="berlaku",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="izin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "diganti"), _negated=True),
                    models.Q(("superseded_by__isnull", False), ("superseded_at__isnull", False)),
                    _connector="OR",
                ),
                name="izin_superseded_has_successor",
                violation_error_message="Izin yang diganti wajib merujuk izin penggantinya.",
            ),
        ),
        migrations.AddConstraint(
            model_name="permohonan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "baru"), ("previous_izin__isnull", True)),
                    models.Q(
                        models.Q(("kind", "baru"), _negated=True), ("previous_izin__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="permohonan_follow_up_has_previous_izin",
                violation_error_message="Perpanjangan dan perubahan data wajib merujuk izin sebelumnya.",
            ),
        ),
        migrations.AddField(
            model_name="salinanizin",
            name="izin",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="salinan",
                to="perizinan.izin",
                verbose_name="izin",
            ),
        ),
        migrations.AddField(
            model_name="salinanizin",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="diminta oleh",
            ),
        ),
        migrations.AddConstraint(
            model_name="salinanizin",
            constraint=models.UniqueConstraint(
                fields=("izin", "sequence"), name="salinan_unique_sequence"
            ),
        ),
    ]
