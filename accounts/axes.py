"""django-axes counts failed sign-ins per e-mail address; allauth posts it as `login`, the API as `username`."""


def username_from_request(request, credentials):
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username") or request.POST.get("email")
    return (value or "").strip().lower() or None
