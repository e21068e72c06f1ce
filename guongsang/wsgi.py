import os

from django.core.wsgi import get_wsgi_application

from guongsang.core.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guongsang.settings")
application = get_wsgi_application()
settle()
