import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("perizinan", "0007_aktivitas_claimed_by_applicant"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="permohonan",
            name="recommendation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Belum ada"),
                    ("approval", "Rekomendasi setuju"),
                    ("rejection", "Rekomendasi tolak"),
                ],
                default="",
                max_length=20,
                verbose_name="rekomendasi tim teknis",
            ),
        ),
        migrations.AddField(
            model_name="permohonan",
            name="recommendation_reasons",
            field=models.TextField(blank=True, verbose_name="alasan rekomendasi"),
        ),
        migrations.AddField(
            model_name="permohonan",
            name="recommended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="direkomendasikan pada"),
        ),
        migrations.AddField(
            model_name="permohonan",
            name="recommended_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="direkomendasikan oleh",
            ),
        ),
    ]
