"""Personal data helpers (UU PDP 27/2022): NIK is shown masked everywhere but the owner's own
profile and the officer's detail view."""


def mask_nik(nik: str | None) -> str:
    """``6212345678900001`` -> ``6212********0001``."""
    if not nik:
        return ""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]
