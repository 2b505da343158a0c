"""Imports every feature's models, so metadata is complete for create_all and Alembic."""
from .accounts.models import AccountToken, LoginThrottle, User  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .badges.models import BadgePrint  # noqa: F401
from .certificates.models import Certificate  # noqa: F401
from .checkin.models import CheckIn, CheckinAssignment, SessionCheckIn  # noqa: F401
from .cooperation.models import Profile, Project, ProjectAttachment, Stand, Topic  # noqa: F401
from .core.pagecache import ContentVersion  # noqa: F401
from .delegations.models import Delegate, Delegation  # noqa: F401
from .events.models import AgendaSession, Event  # noqa: F401
from .hotels.models import Hotel, RoomAssignment, RoomBlock, RoomingList, RoomRequest  # noqa: F401
from .invitations.models import Invitation, InvitationLink, InvitationReminder, InvitationRound  # noqa: F401
from .letters.models import Letter, LetterRequest, LetterSettings  # noqa: F401
from .mail.models import Broadcast, OutboxAttachment, OutboxMessage  # noqa: F401
from .meetings.models import MatchmakingSettings, Meeting, MeetingBooking, MeetingSlot, MeetingTable  # noqa: F401
from .members.models import Contact, MemberUnit, Tag  # noqa: F401
from .pickups.models import PickupPassenger, PickupRun  # noqa: F401
