from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("perizinan", "0009_permit_life")]

    operations: list = []
