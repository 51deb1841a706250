"""The one-time messages' cookie under the `__Host-` prefix, like the other cookies."""

from __future__ import annotations

from django.contrib.messages.storage.cookie import CookieStorage


class HostOnlyCookieStorage(CookieStorage):
    """Django's cookie storage for messages, named `__Host-messages`: browsers then refuse
    it unless Secure, host-only and for path /, so no subdomain or plain-HTTP page can
    plant a message. Django has no setting for this cookie's name, only the class's."""

    cookie_name = "__Host-messages"
