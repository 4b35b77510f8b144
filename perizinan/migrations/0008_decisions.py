from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("perizinan", "0007_aktivitas_claimed_by_applicant")]

    operations: list = []
