"""Anonymous complaints keep no contact either (issue 16, finding 3): the e-mail address and
phone number stored with anonymous complaints are erased, then the constraint
``pengaduan_anonymous_has_no_identity`` covers them besides the name and the account."""

from django.db import migrations, models


def erase_contact_of_anonymous_complaints(apps, schema_editor):
    Pengaduan = apps.get_model("akuntabilitas", "Pengaduan")
    # The name and the account were already kept out by the constraint this one replaces.
    Pengaduan.objects.filter(anonymous=True).update(reporter_email="", reporter_phone="")


class Migration(migrations.Migration):
    dependencies = [
        ("akuntabilitas", "0002_pengaduan_attachment_scan"),
    ]

    operations = [
        migrations.RunPython(erase_contact_of_anonymous_complaints, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="pengaduan",
            name="pengaduan_anonymous_has_no_identity",
        ),
        migrations.AddConstraint(
            model_name="pengaduan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("anonymous", False),
                    models.Q(
                        ("reporter__isnull", True),
                        ("reporter_name", ""),
                        ("reporter_email", ""),
                        ("reporter_phone", ""),
                    ),
                    _connector="OR",
                ),
                name="pengaduan_anonymous_has_no_identity",
                violation_error_message=(
                    "Pengaduan anonim tidak menyimpan nama, e-mail, telepon atau akun."
                ),
            ),
        ),
    ]
