from django.core.management.base import BaseCommand

from guongsang.awards.demo import load_awards_demo, load_commendation_demo
from guongsang.emulation.demo import load_emulation_demo
from guongsang.exemplars.demo import load_exemplars_demo
from guongsang.outreach.demo import load_outreach_demo
from guongsang.plans.demo import load_plans_demo
from guongsang.reports.demo import load_reports_demo
from guongsang.units import demo
from guongsang.units.models import Unit


class Command(BaseCommand):
    # Here, in the app at the top, because the demo spans every app below it.
    help = "Load the Cao Bằng demo when the database has no units yet; print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even if units exist")
        parser.add_argument("--logins-only", action="store_true", help="Only print the logins")

    def handle(self, *args, **options):
        if not options["logins_only"] and (options["force"] or not Unit.objects.exists()):
            self.stdout.write("Đang nạp dữ liệu mẫu Cao Bằng…")
            demo.load_demo()
            load_plans_demo()
            load_exemplars_demo()
            load_awards_demo()
            load_outreach_demo()
            load_reports_demo()
            load_commendation_demo()
            load_emulation_demo()
        logins = demo.demo_logins()
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu (mật khẩu giống nhau):")
        for username, password, full_name, role in logins:
            self.stdout.write(f"  {username:<20} {password:<16} {full_name} — {role}")
        self.stdout.write("")
