"""The second factor of staff log-ins (MFA), on django-otp.

Every staff role and admin (``services.required_for``) confirms the password with a code from an
authenticator app (TOTP, RFC 6238) or with one of ten single-use backup codes; citizens
(pemohon) log in with their password alone.

* ``middleware``: sends a signed-in staff member whose session has no second factor yet to the
  enrolment or the code page, whatever URL they asked for (deny by default);
* ``views``, ``forms``, ``urls``: the pages under ``/akun/mfa/``;
* ``services``: who needs MFA, enrolment, code checks with their lockout, backup codes and the
  audited reset an admin runs from Django admin (``accounts/admin.py``).
"""
