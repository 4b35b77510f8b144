"""Complaints, their settings and history; survey invitations, answers and scores.

The tables were perizinan's (``perizinan.0005`` removed the models from its state only): this
migration takes them over as they are, moves their content types (and so the permissions and
the admin log that point at them) to this app, then renames the tables to this app's names.
Every row stays.
"""

import uuid

import config.append_only

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("pengaturanpengaduan", "jawabansurvei", "pengaduan", "riwayatpengaduan", "undangansurvei", "nilaiunsur",)


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="akuntabilitas", model__in=MODELS).delete()
    ContentType.objects.filter(app_label="perizinan", model__in=MODELS).update(app_label="akuntabilitas")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="akuntabilitas", model__in=MODELS).update(app_label="perizinan")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('kewenangan', '0003_seed_maklumat'),
        ('perizinan', '0005_move_notifikasi_akuntabilitas'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PengaturanPengaduan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('response_working_days', models.PositiveSmallIntegerField(help_text='Dihitung sejak hari kerja berikutnya setelah pengaduan diterima.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='batas waktu jawaban (hari kerja)')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='diubah')),
                    ],
                    options={
                        'db_table': 'perizinan_pengaturanpengaduan',
                        'verbose_name': 'pengaturan pengaduan',
                        'verbose_name_plural': 'pengaturan pengaduan',
                    },
                ),
                migrations.CreateModel(
                    name='JawabanSurvei',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('channel', models.CharField(choices=[('undangan', 'Tautan setelah keputusan'), ('umum', 'Survei umum (loket/QR)')], max_length=10, verbose_name='saluran')),
                        ('submitted_on', models.DateField(db_index=True, verbose_name='tanggal')),
                        ('age_band', models.CharField(choices=[('lt25', 'Di bawah 25 tahun'), ('25_34', '25–34 tahun'), ('35_44', '35–44 tahun'), ('45_54', '45–54 tahun'), ('55p', '55 tahun ke atas')], max_length=10, verbose_name='usia')),
                        ('sex', models.CharField(choices=[('L', 'Laki-laki'), ('P', 'Perempuan')], max_length=1, verbose_name='jenis kelamin')),
                        ('education', models.CharField(choices=[('sd', 'SD atau sederajat'), ('smp', 'SMP atau sederajat'), ('sma', 'SMA/SMK atau sederajat'), ('diploma', 'Diploma (D1–D3)'), ('s1', 'D4/S1'), ('s2', 'S2/S3')], max_length=10, verbose_name='pendidikan')),
                        ('occupation', models.CharField(choices=[('asn', 'PNS/TNI/Polri'), ('swasta', 'Pegawai swasta'), ('wirausaha', 'Wiraswasta/pelaku usaha'), ('nakes', 'Tenaga kesehatan'), ('pelajar', 'Pelajar/mahasiswa'), ('lainnya', 'Lainnya')], max_length=12, verbose_name='pekerjaan')),
                        ('comment', models.TextField(blank=True, verbose_name='saran dan masukan')),
                        ('jenis_izin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='kewenangan.jenisizin', verbose_name='layanan')),
                        ('opd', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='kewenangan.perangkatdaerah', verbose_name='unit pelayanan')),
                    ],
                    options={
                        'db_table': 'perizinan_jawabansurvei',
                        'verbose_name': 'jawaban survei',
                        'verbose_name_plural': 'jawaban survei',
                        'ordering': ['-submitted_on'],
                    },
                ),
                migrations.CreateModel(
                    name='Pengaduan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='ID publik')),
                        ('number', models.CharField(max_length=30, unique=True, verbose_name='nomor tiket')),
                        ('pin_digest', models.CharField(editable=False, max_length=64, verbose_name='sidik PIN')),
                        ('topic', models.CharField(choices=[('layanan', 'Layanan / standar pelayanan'), ('permohonan', 'Permohonan tertentu'), ('perilaku', 'Perilaku petugas'), ('lainnya', 'Lainnya')], max_length=20, verbose_name='perihal')),
                        ('permohonan_number', models.CharField(blank=True, max_length=40, verbose_name='nomor permohonan disebut')),
                        ('title', models.CharField(max_length=200, verbose_name='ringkasan')),
                        ('description', models.TextField(verbose_name='uraian pengaduan')),
                        ('anonymous', models.BooleanField(default=False, verbose_name='anonim')),
                        ('reporter_name', models.CharField(blank=True, max_length=150, verbose_name='nama pelapor')),
                        ('reporter_email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail pelapor')),
                        ('reporter_phone', models.CharField(blank=True, max_length=20, verbose_name='telepon pelapor')),
                        ('attachment_name', models.CharField(blank=True, max_length=200, verbose_name='lampiran tersimpan')),
                        ('attachment_original_name', models.CharField(blank=True, max_length=150, verbose_name='nama lampiran')),
                        ('attachment_content_type', models.CharField(blank=True, max_length=50, verbose_name='jenis lampiran')),
                        ('attachment_size', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='ukuran lampiran')),
                        ('attachment_sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 lampiran')),
                        ('status', models.CharField(choices=[('diterima', 'Diterima'), ('ditindaklanjuti', 'Sedang ditindaklanjuti'), ('dijawab', 'Dijawab'), ('selesai', 'Selesai')], db_index=True, default='diterima', max_length=20, verbose_name='status')),
                        ('received_at', models.DateTimeField(db_index=True, verbose_name='diterima pada')),
                        ('response_working_days', models.PositiveSmallIntegerField(verbose_name='batas waktu (hari kerja)')),
                        ('due_date', models.DateField(verbose_name='batas waktu jawaban')),
                        ('followed_up_at', models.DateTimeField(blank=True, null=True, verbose_name='mulai ditindaklanjuti')),
                        ('answer', models.TextField(blank=True, verbose_name='jawaban')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='dijawab pada')),
                        ('answered_on_time', models.BooleanField(blank=True, null=True, verbose_name='dijawab tepat waktu')),
                        ('response_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='lama jawaban (hari kerja)')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='ditutup pada')),
                        ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='dieskalasi pada')),
                        ('state_version', models.PositiveIntegerField(default=0, verbose_name='versi status')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dijawab oleh')),
                        ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ditangani oleh')),
                        ('jenis_izin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pengaduan', to='kewenangan.jenisizin', verbose_name='layanan')),
                        ('opd', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pengaduan', to='kewenangan.perangkatdaerah', verbose_name='unit yang diadukan')),
                        ('permohonan', models.ForeignKey(blank=True, help_text='Terisi bila nomor permohonan yang disebut ditemukan.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pengaduan', to='perizinan.permohonan', verbose_name='permohonan')),
                        ('reporter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='akun pelapor')),
                    ],
                    options={
                        'db_table': 'perizinan_pengaduan',
                        'verbose_name': 'pengaduan',
                        'verbose_name_plural': 'pengaduan',
                        'ordering': ['-received_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RiwayatPengaduan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=30, verbose_name='tindakan')),
                        ('from_status', models.CharField(blank=True, choices=[('diterima', 'Diterima'), ('ditindaklanjuti', 'Sedang ditindaklanjuti'), ('dijawab', 'Dijawab'), ('selesai', 'Selesai')], max_length=20, verbose_name='dari status')),
                        ('to_status', models.CharField(choices=[('diterima', 'Diterima'), ('ditindaklanjuti', 'Sedang ditindaklanjuti'), ('dijawab', 'Dijawab'), ('selesai', 'Selesai')], max_length=20, verbose_name='ke status')),
                        ('actor_role', models.CharField(blank=True, max_length=20, verbose_name='peran pelaku')),
                        ('note', models.TextField(blank=True, verbose_name='catatan internal')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='waktu')),
                        ('actor', models.ForeignKey(blank=True, help_text='Kosong bila dilakukan oleh pelapor atau sistem.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='pelaku')),
                        ('pengaduan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='riwayat', to='akuntabilitas.pengaduan', verbose_name='pengaduan')),
                    ],
                    options={
                        'db_table': 'perizinan_riwayatpengaduan',
                        'verbose_name': 'riwayat pengaduan',
                        'verbose_name_plural': 'riwayat pengaduan',
                        'ordering': ['created_at', 'id'],
                    },
                    bases=(config.append_only.AppendOnly, models.Model),
                ),
                migrations.CreateModel(
                    name='UndanganSurvei',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(editable=False, max_length=64, unique=True, verbose_name='token')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('expires_on', models.DateField(verbose_name='berlaku sampai')),
                        ('used', models.BooleanField(default=False, verbose_name='sudah dipakai')),
                        ('permohonan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='undangan_survei', to='perizinan.permohonan', verbose_name='permohonan')),
                    ],
                    options={
                        'db_table': 'perizinan_undangansurvei',
                        'verbose_name': 'undangan survei',
                        'verbose_name_plural': 'undangan survei',
                    },
                ),
                migrations.CreateModel(
                    name='NilaiUnsur',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('unsur', models.CharField(choices=[('persyaratan', 'Persyaratan'), ('prosedur', 'Sistem, mekanisme, dan prosedur'), ('waktu', 'Waktu penyelesaian'), ('biaya', 'Biaya/tarif'), ('produk', 'Produk spesifikasi jenis pelayanan'), ('kompetensi', 'Kompetensi pelaksana'), ('perilaku', 'Perilaku pelaksana'), ('pengaduan', 'Penanganan pengaduan, saran dan masukan'), ('sarana', 'Sarana dan prasarana')], max_length=20, verbose_name='unsur')),
                        ('value', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='nilai')),
                        ('jawaban', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nilai', to='akuntabilitas.jawabansurvei', verbose_name='jawaban')),
                    ],
                    options={
                        'db_table': 'perizinan_nilaiunsur',
                        'verbose_name': 'nilai unsur',
                        'verbose_name_plural': 'nilai unsur',
                        'constraints': [models.UniqueConstraint(fields=('jawaban', 'unsur'), name='nilai_unsur_once'), models.CheckConstraint(condition=models.Q(('value__gte', 1), ('value__lte', 4)), name='nilai_unsur_1_to_4')],
                    },
                ),
                migrations.AddIndex(
                    model_name='pengaduan',
                    index=models.Index(fields=['status', 'due_date'], name='pengaduan_status_due_idx'),
                ),
                migrations.AddConstraint(
                    model_name='pengaduan',
                    constraint=models.CheckConstraint(condition=models.Q(('anonymous', False), models.Q(('reporter__isnull', True), ('reporter_name', '')), _connector='OR'), name='pengaduan_anonymous_has_no_identity', violation_error_message='Pengaduan anonim tidak menyimpan nama atau akun.'),
                ),
                migrations.AddConstraint(
                    model_name='pengaduan',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['dijawab', 'selesai']), _negated=True), models.Q(models.Q(('answer', ''), _negated=True), ('answered_at__isnull', False)), _connector='OR'), name='pengaduan_answered_has_answer', violation_error_message='Pengaduan yang dijawab wajib memiliki jawaban.'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, return_content_types, elidable=False),
        migrations.AlterModelTable(name='pengaturanpengaduan', table=None),
        migrations.AlterModelTable(name='jawabansurvei', table=None),
        migrations.AlterModelTable(name='pengaduan', table=None),
        migrations.AlterModelTable(name='riwayatpengaduan', table=None),
        migrations.AlterModelTable(name='undangansurvei', table=None),
        migrations.AlterModelTable(name='nilaiunsur', table=None),
    ]
