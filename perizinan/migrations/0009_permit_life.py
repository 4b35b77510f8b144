from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("perizinan", "0008_decisions")]

    operations: list = []
