from django.conf import settings


def site(request):
    return {"site_name": "Peer Support Hub", "debug": settings.DEBUG}
