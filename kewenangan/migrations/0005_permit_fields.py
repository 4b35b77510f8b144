import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kewenangan", "0004_delegation_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="isianformulir",
            name="print_on_permit",
            field=models.BooleanField(
                default=False,
                help_text="Isian ini dicetak pada izin dan ditampilkan pada halaman verifikasi publik (mis. nomor STR, alamat tempat praktik). Jangan centang data pribadi yang tidak perlu diketahui umum.",
                verbose_name="dicetak pada izin",
            ),
        ),
        migrations.CreateModel(
            name="PejabatPenandatangan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "printed_name",
                    models.CharField(
                        blank=True,
                        help_text="Nama seperti dicetak di bawah tanda tangan; kosong: nama akun.",
                        max_length=200,
                        verbose_name="nama dan gelar",
                    ),
                ),
                (
                    "nip",
                    models.CharField(
                        max_length=18,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{18}$",
                                "NIP terdiri atas 18 angka tanpa spasi.",
                                code="invalid_nip",
                            )
                        ],
                        verbose_name="NIP",
                    ),
                ),
                (
                    "rank",
                    models.CharField(
                        blank=True,
                        help_text="Mis. Pembina Tk. I (IV/b)",
                        max_length=100,
                        verbose_name="pangkat/golongan",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pejabat",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="akun petugas",
                    ),
                ),
            ],
            options={
                "verbose_name": "pejabat penanda tangan",
                "verbose_name_plural": "pejabat penanda tangan",
                "ordering": ["user_id"],
            },
        ),
    ]
