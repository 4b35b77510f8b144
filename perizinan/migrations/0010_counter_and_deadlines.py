"""Counter receipts print the PIN once (pin_printed_at); the activity log names assisted
corrections and receipt prints; the applicant's-deadline index also covers files returned at
verification, which now lapse too (issue 13, items 1 and 10)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("perizinan", "0009_permit_life")]

    operations = [
        migrations.RemoveIndex(
            model_name='permohonan',
            name='permohonan_fix_due_idx',
        ),
        migrations.AddField(
            model_name='permohonan',
            name='pin_printed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='tanda terima ber-PIN dicetak'),
        ),
        migrations.AlterField(
            model_name='aktivitasberkas',
            name='kind',
            field=models.CharField(choices=[('note', 'Catatan internal'), ('claim', 'Diambil'), ('release', 'Dilepas'), ('reassign', 'Dialihkan ke petugas lain'), ('reroute', 'Rute dialihkan'), ('verdict', 'Pemeriksaan dokumen'), ('field_check', 'Berita acara pemeriksaan'), ('assisted', 'Dientri di loket'), ('assisted_fix', 'Diperbaiki di loket atas nama pemohon'), ('receipt_printed', 'Tanda terima pemohon (dengan PIN) dicetak'), ('pin_reissued', 'PIN pelacakan diganti dan dicetak ulang'), ('claimed', 'Diklaim pemohon ke akunnya')], max_length=20, verbose_name='jenis'),
        ),
        migrations.AddIndex(
            model_name='permohonan',
            index=models.Index(condition=models.Q(('status__in', ['dikembalikan', 'perbaikan_teknis'])), fields=['fix_due_date'], name='permohonan_fix_due_idx'),
        ),
    ]
