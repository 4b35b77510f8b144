from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("kewenangan", "0003_seed_maklumat")]

    operations: list = []
