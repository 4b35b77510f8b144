"""The outbox (Notifikasi) and the admin-editable message templates.

The tables were perizinan's (``perizinan.0005`` removed the models from its state only): this
migration takes them over as they are, moves their content types (and so the permissions and
the admin log that point at them) to this app, then renames the tables to this app's names.
Every row stays.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("templatnotifikasi", "notifikasi",)


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifikasi", model__in=MODELS).delete()
    ContentType.objects.filter(app_label="perizinan", model__in=MODELS).update(app_label="notifikasi")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifikasi", model__in=MODELS).update(app_label="perizinan")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('perizinan', '0005_move_notifikasi_akuntabilitas'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='TemplatNotifikasi',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event', models.CharField(max_length=60, verbose_name='peristiwa')),
                        ('channel', models.CharField(choices=[('email', 'E-mail'), ('inapp', 'Di aplikasi'), ('sms', 'SMS/WhatsApp')], max_length=10, verbose_name='kanal')),
                        ('language', models.CharField(choices=[('id', 'Bahasa Indonesia'), ('en', 'English')], default='id', max_length=8, verbose_name='bahasa')),
                        ('subject', models.CharField(help_text='Sintaks templat Django, satu baris.', max_length=250, verbose_name='judul')),
                        ('body', models.TextField(help_text='Sintaks templat Django. Variabel: permohonan, nomor, layanan, penerima, catatan, tautan, batas_waktu, dll. (lihat pratinjau).', verbose_name='isi (teks)')),
                        ('body_html', models.TextField(blank=True, help_text='Opsional, hanya e-mail. Kosong: isi teks dibungkus tata letak standar.', verbose_name='isi HTML')),
                        ('is_active', models.BooleanField(default=True, verbose_name='aktif')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='diubah')),
                    ],
                    options={
                        'db_table': 'perizinan_templatnotifikasi',
                        'verbose_name': 'templat notifikasi',
                        'verbose_name_plural': 'templat notifikasi',
                        'ordering': ['event', 'channel', 'language'],
                        'constraints': [models.UniqueConstraint(fields=('event', 'channel', 'language'), name='templat_notifikasi_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='Notifikasi',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='ID publik')),
                        ('key', models.CharField(help_text='Unik per pesan: permohonan, peristiwa, penerima dan kanal.', max_length=200, unique=True, verbose_name='kunci')),
                        ('event', models.CharField(db_index=True, max_length=60, verbose_name='peristiwa')),
                        ('channel', models.CharField(choices=[('email', 'E-mail'), ('inapp', 'Di aplikasi'), ('sms', 'SMS/WhatsApp')], max_length=10, verbose_name='kanal')),
                        ('email', models.CharField(blank=True, max_length=254, verbose_name='alamat e-mail')),
                        ('phone', models.CharField(blank=True, max_length=20, verbose_name='nomor telepon')),
                        ('language', models.CharField(default='id', max_length=8, verbose_name='bahasa')),
                        ('reference', models.CharField(blank=True, db_index=True, help_text='Nomor berkas atau tiket yang dibicarakan pesan ini (untuk pencarian).', max_length=60, verbose_name='rujukan')),
                        ('subject', models.CharField(max_length=250, verbose_name='judul')),
                        ('body', models.TextField(verbose_name='isi')),
                        ('body_html', models.TextField(blank=True, verbose_name='isi HTML')),
                        ('link', models.CharField(blank=True, max_length=500, verbose_name='tautan')),
                        ('state', models.CharField(choices=[('pending', 'Menunggu dikirim'), ('sent', 'Terkirim'), ('failed', 'Gagal')], default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='jumlah percobaan')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='percobaan berikutnya')),
                        ('last_error', models.TextField(blank=True, verbose_name='galat terakhir')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='dikirim pada')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='dibaca pada')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='dibuat')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='diubah')),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifikasi', to=settings.AUTH_USER_MODEL, verbose_name='penerima')),
                    ],
                    options={
                        'db_table': 'perizinan_notifikasi',
                        'verbose_name': 'notifikasi',
                        'verbose_name_plural': 'notifikasi',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(condition=models.Q(('state', 'pending')), fields=['next_attempt_at'], name='notifikasi_pending_idx'), models.Index(fields=['recipient', 'channel', '-created_at'], name='notifikasi_inbox_idx')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, return_content_types, elidable=False),
        migrations.AlterModelTable(name='templatnotifikasi', table=None),
        migrations.AlterModelTable(name='notifikasi', table=None),
    ]
