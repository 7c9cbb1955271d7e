"""Where a resident can be told something: which channels, in which order, at which address.

- SMS needs the resident's consent (``consent_sms``) and a mobile number: an SMS sent to a
  landline is lost.
- Email needs an address only: these messages answer the resident's own requests (an
  acknowledgement, a decision), which they expect; ``consent_email`` is about being contacted
  otherwise.
- The preferred channel comes first when it is available; the other one is the fallback.
"""

from __future__ import annotations

import phonenumbers

from guichet.notifications.choices import MessageChannel
from guichet.residents.models import Resident
from guichet.residents.phones import DEFAULT_REGION

_SMS_CAPABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def can_receive_sms(phone: str) -> bool:
    """Return whether ``phone`` (E.164) is a valid number that receives SMS."""
    try:
        number = phonenumbers.parse(phone, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.number_type(number) in _SMS_CAPABLE
    )


def resident_addresses(resident: Resident) -> list[tuple[str, str]]:
    """Return the (channel, address) pairs ``resident`` can be reached at, preferred first."""
    addresses: dict[str, str] = {}
    if resident.email:
        addresses[MessageChannel.EMAIL] = resident.email
    if resident.consent_sms and resident.phone and can_receive_sms(resident.phone):
        addresses[MessageChannel.SMS] = resident.phone
    if resident.preferred_channel == MessageChannel.SMS:
        order = [MessageChannel.SMS, MessageChannel.EMAIL]
    else:
        order = [MessageChannel.EMAIL, MessageChannel.SMS]
    return [(str(channel), addresses[channel]) for channel in order if channel in addresses]
