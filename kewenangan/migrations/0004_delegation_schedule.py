"""Scheduled changes of holder (Pelimpahan.status, applied_at, the state a scheduled change
sets, the route override), and the role of a procedure step (LangkahProsedur.actor_role) from
which its performer's name is derived. Existing history rows took effect when recorded;
existing steps get the role their stored text names."""

from django.db import migrations, models


def mark_history_applied(apps, schema_editor):
    Pelimpahan = apps.get_model("kewenangan", "Pelimpahan")
    Pelimpahan.objects.filter(applied_at__isnull=True).update(applied_at=models.F("created_at"))


#: Prefixes of the stored performer texts (the sample catalogue's words) and their role.
STEP_PREFIXES = (
    ("front office ", "front_office"),
    ("back office ", "back_office"),
    ("tim teknis ", "tim_teknis"),
    ("kepala ", "penandatangan"),
)


def derive_step_roles(apps, schema_editor):
    LangkahProsedur = apps.get_model("kewenangan", "LangkahProsedur")
    PerangkatDaerah = apps.get_model("kewenangan", "PerangkatDaerah")
    offices = {"dpmptsp"} | {
        name.lower()
        for pair in PerangkatDaerah.objects.values_list("short_name", "name")
        for name in pair
    }
    for step in LangkahProsedur.objects.exclude(actor="").only("pk", "actor"):
        text = step.actor.strip().lower()
        role = ""
        if text == "pemohon":
            role = "pemohon"
        elif text in offices:
            role = "penyelenggara"
        else:
            for prefix, candidate in STEP_PREFIXES:
                if text.startswith(prefix) and text[len(prefix) :] in offices:
                    role = candidate
                    break
        if role:
            LangkahProsedur.objects.filter(pk=step.pk).update(actor_role=role)


class Migration(migrations.Migration):
    dependencies = [("kewenangan", "0003_seed_maklumat")]

    operations = [
        migrations.AddField(
            model_name="langkahprosedur",
            name="actor_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Lainnya (teks pelaksana)"),
                    ("pemohon", "Pemohon"),
                    ("front_office", "Front office penyelenggara"),
                    ("back_office", "Back office penyelenggara"),
                    ("tim_teknis", "Tim teknis"),
                    ("penandatangan", "Kepala penyelenggara (penanda tangan)"),
                    ("penyelenggara", "Penyelenggara"),
                ],
                default="",
                help_text="Nama pelaksana diambil dari pemegang kewenangan saat ini.",
                max_length=20,
                verbose_name="peran pelaksana",
            ),
        ),
        migrations.AlterField(
            model_name="langkahprosedur",
            name="actor",
            field=models.CharField(
                blank=True,
                help_text="Hanya dipakai bila peran pelaksana 'Lainnya'.",
                max_length=100,
                verbose_name="pelaksana",
            ),
        ),
        migrations.AddField(
            model_name="pelimpahan",
            name="applied_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="berlaku pada"),
        ),
        migrations.AddField(
            model_name="pelimpahan",
            name="route_override",
            field=models.TextField(
                blank=True,
                help_text="Diisi bila admin tetap menyimpan perubahan walau rute belum berpetugas.",
                verbose_name="peran rute yang belum ada (dilewati admin)",
            ),
        ),
        migrations.AddField(
            model_name="pelimpahan",
            name="status",
            field=models.CharField(
                choices=[
                    ("berlaku", "Berlaku"),
                    ("terjadwal", "Terjadwal"),
                    ("dibatalkan", "Dibatalkan"),
                ],
                default="berlaku",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="pelimpahan",
            name="to_perbup_date",
            field=models.DateField(blank=True, null=True, verbose_name="tanggal Perbup baru"),
        ),
        migrations.AddField(
            model_name="pelimpahan",
            name="to_perbup_number",
            field=models.CharField(blank=True, max_length=100, verbose_name="nomor Perbup baru"),
        ),
        migrations.AddField(
            model_name="pelimpahan",
            name="to_stage_year",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="tahap baru (tahun)"
            ),
        ),
        migrations.AddIndex(
            model_name="pelimpahan",
            index=models.Index(
                condition=models.Q(("status", "terjadwal")),
                fields=["effective_date"],
                name="pelimpahan_scheduled_idx",
            ),
        ),
        migrations.RunPython(mark_history_applied, migrations.RunPython.noop),
        migrations.RunPython(derive_step_roles, migrations.RunPython.noop),
    ]
