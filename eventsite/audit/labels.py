"""Translated labels of the audit log: every action code the code base records (one place: a
test scans the source for `record()` calls and fails on a code missing here), the kinds of
records, the keys of the details and the fields named in "changes". Unknown codes and keys (old
entries) read as themselves."""
from __future__ import annotations

from typing import Any

from ..core.gettext import lazy_gettext as _l

ACTION_LABELS: dict[str, Any] = {
    "auth.login": _l("Logged in"),
    "auth.login_failed": _l("Failed login"),
    "auth.logout": _l("Logged out"),
    "auth.reset_requested": _l("Asked for a password reset link"),
    "user.activation_sent": _l("Activation link sent"),
    "user.activated": _l("Account activated"),
    "user.password_reset": _l("Password reset"),
    "user.create": _l("Account created"),
    "user.password_change": _l("Password changed"),
    "user.update": _l("Account changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "event.create": _l("Event created"),
    "event.update": _l("Event changed"),
    "event.publish": _l("Event published"),
    "event.cancel": _l("Event cancelled"),
    "event.reopen": _l("Event reopened"),
    "event.duplicate": _l("Event duplicated"),
    "event.cover": _l("Cover image changed"),
    "event.session_add": _l("Session added"),
    "event.session_update": _l("Session changed"),
    "event.session_delete": _l("Session deleted"),
    "event.session_duplicate": _l("Session duplicated"),
    "event.session_move": _l("Session moved within its time slot"),
    "delegation.submit": _l("Delegation registered"),
    "delegation.update": _l("Delegation changed"),
    "delegation.quota_override": _l("Delegation saved beyond its quota"),
    "delegation.approve": _l("Delegation approved"),
    "delegation.withdraw": _l("Delegation withdrawn"),
    "delegation.reject": _l("Delegation rejected"),
    "delegation.export": _l("Delegations exported"),
    "delegation.export_travel": _l("Delegations exported with travel documents"),
    "delegate.change": _l("Delegate's details changed"),
    "delegate.substitute": _l("Delegate replaced by another person"),
    "delegate.promote": _l("Delegate given a seat from the waiting list"),
    "delegate.auto_promote": _l("Delegate given a freed seat (automatic)"),
    "delegate.self_update": _l("Delegate changed their own details"),
    "delegate.link_rotate": _l("Delegate's personal link renewed"),
    "delegate.remove": _l("Delegate removed"),
    "delegate.decline": _l("Delegate declined"),
    "invitation.issue": _l("Invitation sent"),
    "invitation.resend": _l("Invitation sent again"),
    "invitation.revoke": _l("Invitation revoked"),
    "invitation.quota": _l("Invitation quota changed"),
    "invitation.accept": _l("Invitation accepted"),
    "invitation.decline": _l("Invitation declined"),
    "invitation.remind": _l("Invitation reminder sent"),
    "member.create": _l("Member unit added"),
    "member.update": _l("Member unit changed"),
    "member.deactivate": _l("Member unit deactivated"),
    "member.reactivate": _l("Member unit reactivated"),
    "member.import": _l("Member data imported"),
    "contact.create": _l("Contact added"),
    "contact.update": _l("Contact changed"),
    "contact.delete": _l("Contact deleted"),
    "mail.retry": _l("Message queued again"),
    "broadcast.send": _l("Message to contacts sent"),
    "privacy.export": _l("Personal data exported"),
    "privacy.erase_event": _l("Delegates' personal data erased after the event"),
    "calendar.rotate_feed": _l("Unit's calendar feed address renewed"),
    "hotel.create": _l("Hotel added"),
    "hotel.update": _l("Hotel changed"),
    "hotel.delete": _l("Hotel deleted"),
    "room_block.create": _l("Room block added"),
    "room_block.update": _l("Room block changed"),
    "room_block.delete": _l("Room block deleted"),
    "room.assign": _l("Room assigned"),
    "room.move": _l("Room changed"),
    "room.dates": _l("Hotel dates changed"),
    "room.remove": _l("Room cancelled"),
    "room.release": _l("Room freed (the delegate left)"),
    "room.request": _l("Room requests sent"),
    "rooming_list.issue": _l("Rooming list downloaded"),
    "letter.request": _l("Invitation letters requested"),
    "letter.issue": _l("Invitation letter issued"),
    "letter.decline": _l("Invitation letter request declined"),
    "letter.reissue": _l("Invitation letter re-issued"),
    "letter.revoke": _l("Invitation letter revoked"),
    "letter.download": _l("Invitation letter downloaded"),
    "letter.settings": _l("Letter settings changed"),
    "pickup.create_run": _l("Pickup run created"),
    "pickup.update_run": _l("Pickup run changed"),
    "pickup.delete_run": _l("Pickup run deleted"),
    "pickup.add_passengers": _l("People put on a pickup run"),
    "pickup.remove_passenger": _l("Person taken off a pickup run"),
    "pickup.export_manifest": _l("Pickup manifest exported"),
    "meeting.settings": _l("Meeting matchmaking settings changed"),
    "meeting.add_slots": _l("Meeting slots added"),
    "meeting.remove_slot": _l("Meeting slot removed"),
    "meeting.add_table": _l("Meeting table added"),
    "meeting.remove_table": _l("Meeting table removed"),
    "meeting.request": _l("Meeting requested"),
    "meeting.accept": _l("Meeting accepted"),
    "meeting.reschedule": _l("Meeting moved to another time"),
    "meeting.decline": _l("Meeting declined"),
    "meeting.decline_reschedule": _l("New meeting time declined"),
    "meeting.propose": _l("Another meeting time proposed"),
    "meeting.cancel": _l("Meeting cancelled"),
    "meeting.export": _l("Meeting plan exported"),
    "certificate.issue_all": _l("Certificates of participation issued"),
    "certificate.revoke": _l("Certificate of participation revoked"),
    "badges.printed": _l("Badges printed"),
    "checkin.scans": _l("Check-ins sent from a phone desk"),
    "checkin.manual": _l("Checked in by hand"),
    "checkin.undone": _l("Check-in undone"),
    "checkin.walk_in": _l("Walk-in registered and checked in"),
    "checkin.substitute": _l("Substitute registered and checked in"),
    "checkin.override": _l("Registration rules overridden at the door"),
    "checkin.staff_assign": _l("Check-in staff assigned"),
    "checkin.staff_unassign": _l("Check-in staff unassigned"),
    "coop_topic.create": _l("Cooperation topic added"),
    "coop_topic.update": _l("Cooperation topic changed"),
    "coop_topic.move": _l("Cooperation topic moved"),
    "coop_topic.deactivate": _l("Cooperation topic deactivated (in use)"),
    "coop_topic.delete": _l("Cooperation topic deleted"),
    "coop_profile.update": _l("Cooperation profile saved"),
    "coop_project.create": _l("Project added"),
    "coop_project.update": _l("Project changed"),
    "coop_project.submit": _l("Project submitted for review"),
    "coop_project.withdraw": _l("Project withdrawn"),
    "coop_project.approve": _l("Project approved and published"),
    "coop_project.reject": _l("Project returned to the unit"),
    "coop_brochure.add": _l("Project brochure added"),
    "coop_brochure.delete": _l("Project brochure removed"),
    "coop_stand.create": _l("Exposition stand added"),
    "coop_stand.update": _l("Exposition stand changed"),
    "coop_stand.delete": _l("Exposition stand removed"),
}

TARGET_TYPE_LABELS: dict[str, Any] = {
    "user_account": _l("Account"), "event": _l("Event"), "agenda_session": _l("Session"),
    "delegation": _l("Delegation"), "delegate": _l("Delegate"), "invitation": _l("Invitation"),
    "member_unit": _l("Member unit"), "contact": _l("Contact"), "outbox_message": _l("Email"),
    "broadcast": _l("Message to contacts"), "hotel": _l("Hotel"), "room_block": _l("Room block"),
    "letter": _l("Invitation letter"),
    "letter_request": _l("Invitation letter request"),
    "pickup_run": _l("Pickup run"),
    "certificate": _l("Certificate of participation"),
    "meeting": _l("Meeting"),
    "coop_topic": _l("Cooperation topic"), "coop_profile": _l("Cooperation profile"),
    "coop_project": _l("Project"), "coop_stand": _l("Exposition stand"),
}

# The keys of `details`, as the services write them.
KEY_LABELS: dict[str, Any] = {
    "checked_in": _l("Checked in"),
    "scans": _l("Scans"),
    "devices": _l("Devices"),
    "badges": _l("Badges"),
    "filter": _l("Filter"),
    "method": _l("How"),
    "override": _l("Override"),
    "refused": _l("Refused by the rules"),
    "by_id": _l("By"),
    "statuses": _l("Statuses"),
    "roles": _l("Roles"),
    "pending_only": _l("Only outdated or never printed"),
    "changes": _l("Changes"), "changed": _l("Changed"), "added": _l("Added"), "removed": _l("Removed"),
    "substituted": _l("Replaced"), "replaces": _l("In place of"), "replaced_name": _l("Replaced person"),
    "status": _l("Status"), "by_organizer": _l("Saved by an organizer"), "quota": _l("Quota"),
    "people": _l("People"), "seats_freed": _l("Seats freed"), "reason": _l("Reason"),
    "reason_en": _l("Reason (English)"), "reason_zh": _l("Reason (Chinese)"),
    "confirmed": _l("Confirmed"), "waitlisted": _l("On the waiting list"), "format": _l("Format"),
    "rows": _l("Rows"), "filters": _l("Filters"), "held_seat": _l("Held a seat"),
    "recipients": _l("Recipients"), "sequence": _l("Calendar version"), "notified": _l("Notified"),
    "agenda_moved": _l("Sessions moved with the event"), "agenda_kept": _l("Sessions kept where they were"),
    "agenda_outside": _l("Sessions outside the event's days"), "by": _l("By"),
    "agenda_moved.by": _l("Moved by"),
    "sessions": _l("Sessions"), "session": _l("Session"), "session_id": _l("Session"),
    "invitations_expire_at": _l("Open invitations expire at"), "copied_from": _l("Copied from"),
    "days": _l("Days"), "action": _l("Action"), "content_type": _l("File type"), "bytes": _l("Size (bytes)"),
    "unit_id": _l("Member unit"), "email": _l("Email"), "delegates": _l("Delegates"),
    "passengers": _l("People on the run"), "passengers_told": _l("People told"),
    "delegate": _l("Delegate"), "capacity": _l("Seats"),
    "messages": _l("Emails"), "audit_entries": _l("Audit entries"), "records": _l("Records"),
    "locked": _l("Locked"), "known_device": _l("Known device"), "via": _l("Via"), "role": _l("Role"),
    "round": _l("Invitation round"), "reissued": _l("Invited again"), "previous": _l("Before"),
    "link_id": _l("Link"), "key": _l("Reminder"), "skipped": _l("Skipped"), "starts_at": _l("Starts"),
    "direction": _l("Direction"), "file": _l("The file contains"), "created": _l("Added"),
    "updated": _l("Updated"), "unchanged": _l("Unchanged"),
    "block": _l("Room block"), "room": _l("Room"), "check_in": _l("Check-in"), "check_out": _l("Check-out"),
    "hotel": _l("Hotel"), "list": _l("Rooming list"), "fields": _l("Fields"), "rooms": _l("Rooms"),
    "delegation": _l("Delegation"),
    "new": _l("New letter"), "mode": _l("Letters"), "letters": _l("Invitation letters"),
    "count": _l("Number issued"), "certificates": _l("Certificates of participation"),
    "open": _l("Open"), "deadline": _l("Deadline"), "minutes": _l("Minutes"), "slot": _l("Slot"),
    "table": _l("Table"), "interpreter": _l("Interpreter needed"), "reschedule": _l("Reschedule"),
    "was_accepted": _l("Was accepted"),
    "unit": _l("Member unit"), "moderated": _l("Saved by an organizer"), "mailed": _l("Emails"),
    "code": _l("Code"), "position": _l("Position"), "size": _l("Size (bytes)"), "event": _l("Event"),
}

# Field names in "changes" / "changed", per kind of record, with the labels their forms show.
_PERSON = {"family_name": _l("Family name (Latin letters)"), "given_name": _l("Given name (Latin letters)"),
           "name_zh": _l("Name in Chinese characters"), "title": _l("Title / position"),
           "organization": _l("Organization"), "email": _l("Email"), "mobile": _l("Mobile phone"),
           "language": _l("Language for emails"), "dietary": _l("Dietary needs"),
           "accessibility": _l("Accessibility needs"), "arrival_date": _l("Arrival date"),
           "arrival_time": _l("Arrival time"), "arrival_details": _l("Arrival flight or train number"),
           "arrival_place": _l("Arrival airport or station"),
           "departure_date": _l("Departure date"), "departure_time": _l("Departure time"),
           "departure_details": _l("Departure flight or train number"),
           "departure_place": _l("Departure airport or station"), "sessions": _l("Sessions"),
           "notes": _l("Notes"), "role": _l("Role"),
           "travel_documents": _l("Travel documents (for visa invitation letters)")}
_EVENT = {"kind": _l("Kind"), "title_en": _l("Title (English)"), "title_zh": _l("Title (Chinese)"),
          "summary_en": _l("Summary (English)"), "summary_zh": _l("Summary (Chinese)"),
          "description_en": _l("Description (English)"), "description_zh": _l("Description (Chinese)"),
          "timezone": _l("Time zone"), "starts_at": _l("Starts"), "ends_at": _l("Ends"),
          "venue_name": _l("Venue"), "venue_address": _l("Address"), "city": _l("City"),  # before 0006
          "venue_name_en": _l("Venue (English)"), "venue_name_zh": _l("Venue (Chinese)"),
          "venue_address_en": _l("Address (English)"), "venue_address_zh": _l("Address (Chinese)"),
          "city_en": _l("City (English)"), "city_zh": _l("City (Chinese)"),
          "country": _l("Country"), "contact_name": _l("Contact person"), "contact_email": _l("Contact email"),
          "contact_phone": _l("Contact phone"), "registration_mode": _l("Who may register"),
          "registration_opens_at": _l("Registration opens"), "registration_closes_at": _l("Registration closes"),
          "edit_deadline": _l("Delegations editable until"), "capacity": _l("Capacity"),
          "default_quota": _l("Default quota per unit"), "approval_required": _l("The secretariat approves delegations"),
          "reminder_days": _l("Automatic invitation reminders (days before registration closes)"),
          "delegate_details": _l("What to ask each delegate"), "track": _l("Track"), "room": _l("Room or place"),
          "room_en": _l("Room or place (English)"), "room_zh": _l("Room or place (Chinese)"),
          "speakers": _l("Speakers"), "delegates_choose": _l("Delegates choose this session")}
_UNIT = {"kind": _l("Kind"), "name_zh": _l("Chinese name"), "name_en": _l("English name"), "country": _l("Country"),
         "province": _l("Province (units in China)"), "region": _l("Region (units outside China)"),
         "batch": _l("Batch"), "joined_on": _l("Joined on"), "website": _l("Website"), "notes": _l("Notes"),
         "is_active": _l("Active member"), "tags": _l("Tags")}
_CONTACT = {"role": _l("Role"), "name_zh": _l("Name in Chinese characters"), "name_latin": _l("Name in Latin letters"),
            "title": _l("Title / position"), "email": _l("Email"), "phone": _l("Phone"),
            "language": _l("Preferred language"), "receives_invitations": _l("Receives invitations")}
_USER = {"name": _l("Full name"), "role": _l("Role"), "unit_id": _l("Member unit"), "locale": _l("Interface language"),
         "timezone": _l("Time zone"), "email": _l("Email address")}
FIELD_LABELS: dict[str, dict[str, Any]] = {
    "delegate": _PERSON, "event": _EVENT, "agenda_session": _EVENT, "member_unit": _UNIT, "contact": _CONTACT,
    "user_account": _USER}

# Coded values some details carry.
VALUE_LABELS: dict[str, Any] = {
    "unknown": _l("unknown address"), "password": _l("wrong password"), "inactive": _l("account not active"),
    "upload": _l("uploaded"), "replace": _l("replaced"), "remove": _l("removed"),
    "link": _l("personal link"), "list": _l("the unit's page"), "cli": _l("command line"),
    "changed": _l("changed (values not recorded)"),
}


def action_label(code: str) -> str:
    """The action in words (the code itself for one no longer recorded)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def key_label(key: str) -> str:
    label = KEY_LABELS.get(key)
    return str(label) if label is not None else key


def field_label(target_type: str | None, field: str) -> str:
    label = FIELD_LABELS.get(target_type or "", {}).get(field) or KEY_LABELS.get(field)
    return str(label) if label is not None else field


def target_type_label(code: str | None) -> str:
    label = TARGET_TYPE_LABELS.get(code or "")
    return str(label) if label is not None else (code or "")
