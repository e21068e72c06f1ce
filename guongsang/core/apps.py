from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guongsang.core"
    label = "core"
