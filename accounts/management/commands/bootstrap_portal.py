"""Create the top unit and the first HQ cadre of a new installation.

    manage.py bootstrap_portal --unit-name 某某集团有限公司 --unit-code HQ --username admin --name 张三
The password is read from PORTAL_BOOTSTRAP_PASSWORD or asked for interactively.
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import organisation_bootstrap


class Command(BaseCommand):
    help = "Create the top unit and the first HQ cadre of an empty portal."

    def add_arguments(self, parser):
        parser.add_argument("--unit-name", required=True)
        parser.add_argument("--unit-code", required=True)
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True)

    def handle(self, *args, **options):
        password = os.environ.get("PORTAL_BOOTSTRAP_PASSWORD") or getpass.getpass("Password: ")
        try:
            root, user = organisation_bootstrap(
                unit_name=options["unit_name"],
                unit_code=options["unit_code"],
                username=options["username"],
                name=options["name"],
                password=password,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {root} and HQ cadre {user.username}."))
