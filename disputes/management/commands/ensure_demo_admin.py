"""``manage.py ensure_demo_admin``: a superuser to log in with, and the login printed. Safe to run again."""

from django.core.management.base import BaseCommand

from disputes.demo.loader import demo_admin_ensure


class Command(BaseCommand):
    help = (
        "Create (or reuse) the demo superuser and print its login. A generated password is kept in "
        "VAR_DIR/demo-admin.txt so later runs print the same one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Default: admin.")
        parser.add_argument(
            "--password", default=None, help="Set this password instead of a generated one (e.g. in Docker)."
        )
        parser.add_argument(
            "--hide-password",
            action="store_true",
            help="Do not print the password (where output lands in logs, as in Docker); it stays in the file.",
        )

    def handle(self, *args, **options):
        admin = demo_admin_ensure(username=options["username"], password=options["password"])
        for warning in admin.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS("Demo admin " + ("created" if admin.created else "ready")))
        self.stdout.write(f"  Log in at: {admin.login_url}   (admin site: {admin.admin_url})")
        self.stdout.write(f"  Username:  {admin.username}")
        if admin.password is not None and options["hide_password"]:
            self.stdout.write(f"  Password:  (not shown; kept in {admin.password_file})")
        elif admin.password is not None:
            self.stdout.write(f"  Password:  {admin.password}   (kept in {admin.password_file})")
        if admin.follows_coda:
            self.stdout.write(f"  Follows the CODA dispute; owner of {admin.letters_owned} of its letters.")
