"""Choice lists shared by several forms (kept apart from the questions, as XLSForm does)."""

from __future__ import annotations

from ehdesk.forms.model import ChoiceList, Option


def choice_list(name: str, *pairs: tuple[str, str]) -> ChoiceList:
    return ChoiceList(name, tuple(Option(value, label) for value, label in pairs))


HOW_RECEIVED = choice_list(
    "how_received",
    ("paper", "Paper form"),
    ("email", "E-mail"),
    ("phone", "Phone call"),
    ("portal", "Online portal"),
    ("in_person", "In person"),
)

GENDER = choice_list(
    "gender",
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Other / self-described"),
    ("not_known", "Not known"),
)

RELATIONSHIP = choice_list(
    "relationship",
    ("mother", "Mother"),
    ("father", "Father"),
    ("step_parent", "Step-parent"),
    ("partner_of_parent", "Partner of a parent"),
    ("grandparent", "Grandparent"),
    ("other_relative", "Other relative"),
    ("special_guardian", "Special guardian"),
    ("foster_carer", "Foster carer"),
    ("friend", "Family friend"),
    ("other", "Other"),
)

NEEDS = choice_list(
    "needs",
    ("parenting", "Parenting support"),
    ("school_attendance", "School attendance"),
    ("behaviour", "Child's behaviour"),
    ("emotional_wellbeing", "Child's emotional wellbeing or mental health"),
    ("parent_mental_health", "Parent's or carer's mental health"),
    ("domestic_abuse", "Domestic abuse"),
    ("substance_misuse", "Drug or alcohol misuse"),
    ("housing", "Housing"),
    ("money", "Money, debt or benefits"),
    ("employment", "Employment or training"),
    ("health", "Physical health or development"),
    ("send", "Special educational needs or disability"),
    ("young_carer", "Young carer"),
    ("crime_asb", "Crime or anti-social behaviour"),
    ("exploitation_risk", "Risk of exploitation"),
    ("isolation", "Social isolation"),
    ("relationships", "Family relationships or separation"),
    ("other", "Other"),
)

DATA_ITEMS = choice_list(
    "data_items",
    ("identity", "Names and dates of birth"),
    ("contact", "Address and contact details"),
    ("household", "Who lives in the household"),
    ("education", "Education and attendance"),
    ("health", "Health and development"),
    ("concerns", "Concerns about the child"),
    ("assessment", "Early Help assessment"),
    ("plan", "Family plan and progress"),
    ("other", "Other (describe in 'what is shared')"),
)

SHARE_PURPOSE = choice_list(
    "share_purpose",
    ("child_wellbeing", "To promote the child's wellbeing (safeguarding)"),
    ("other", "Another purpose"),
)

G10_EXCEPTIONS = choice_list(
    "g10_exceptions",
    ("risk_of_harm", "Telling the family would put the child at risk of harm"),
    ("criminal_investigation", "Telling the family would interfere with a criminal investigation"),
    ("safeguarding_delay", "Telling the family would cause undue delay in safeguarding the child"),
)

CONSENT_METHOD = choice_list(
    "consent_method",
    ("written", "In writing (signed)"),
    ("email", "By e-mail or message"),
    ("verbal", "Spoken, noted at the time"),
)

SHARE_METHOD = choice_list(
    "share_method",
    ("phone", "Phone"),
    ("secure_email", "Secure e-mail"),
    ("meeting", "Meeting"),
    ("letter", "Letter"),
    ("portal", "Shared system or portal"),
)

PN_METHOD = choice_list(
    "privacy_notice_method",
    ("printed", "Printed copy handed over or posted"),
    ("saved", "Saved as a PDF file"),  # saved only: nothing was sent (the link is "link")
    ("link", "Link sent"),
)

FAMILY_TYPE = choice_list(
    "family_type",
    ("new", "New family (just allocated)"),
    ("existing", "Existing family (already allocated)"),
)

DECISION_SUBJECT = choice_list(
    "decision_subject",
    ("decline", "Family declined Early Help"),
    ("share", "Information sharing"),
    ("objection", "Family's objection to an agency"),
    ("case_progression", "Case progression"),
    ("other", "Other"),
)
