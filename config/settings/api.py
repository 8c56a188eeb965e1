"""The REST API (Django REST framework) and its OpenAPI documentation."""

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The access policy (disputes/core/access.py) for every API view, including ones that forget to say so.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "disputes.api.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["disputes.core.access.CanReadRecord"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Disputes Tracker API",
    "DESCRIPTION": "Read-only access to the dispute record.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One component for the one choice set, whatever the field is called (also keeps `check --deploy` clean).
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "disputes.models.DatePrecision"},
}
