from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("kewenangan", "0004_delegation_schedule")]

    operations: list = []
