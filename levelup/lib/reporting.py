"""What Django's debug page and error reports may show.

Django hides settings whose names match API|TOKEN|KEY|SECRET|PASS|SIGNATURE|
HTTP_COOKIE. URLs carry passwords too (DATABASE_URL, REDIS_URL, EMAIL_URL, a cache's
LOCATION, a Sentry DSN), so any name ending in URL or URI, or holding DSN or LOCATION,
is hidden as well, and a password inside any other URL (a database's OPTIONS, a local
variable) is masked where it stands. AUTH and CREDENTIAL cover request headers such as
HTTP_AUTHORIZATION.
"""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

from levelup.lib.logs import mask_url_passwords, redact

HIDDEN_SETTINGS = re.compile(
    r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|AUTH|CREDENTIAL|URL$|URI$|DSN|LOCATION",
    flags=re.IGNORECASE,
)
_PLAIN = (str, dict, list, tuple)


class LevelupExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, also hiding URL settings and passwords inside URLs.

    Used for the debug page (DEBUG on) and for error reports (DEBUG off).
    """

    hidden_settings = HIDDEN_SETTINGS

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            return mask_url_passwords(cleansed)
        return cleansed

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        # The development server copies the whole environment into META, and the
        # request line may hold a token or a calendar secret.
        meta = super().get_safe_request_meta(request)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in meta.items()
        }

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        # A local variable may hold a database URL or a dict of settings: the same
        # rules as for settings, by the variable's name and inside its contents.
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [
            (name, self.cleanse_setting(name, value) if isinstance(value, _PLAIN) else value)
            for name, value in variables
        ]
