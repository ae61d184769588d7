"""The standard objects flows and clients touch, with Salesforce's field names, types, lengths and picklists.

Not every field of every object: the ones flows, the REST clients and typical seed data use. Objects that have
no owner in Salesforce (User, Profile, FeedItem…) have no OwnerId here either, and Contact/Lead/User/Individual
``Name`` is the read-only compound of first and last name (maintained by the store, see derived_fields.py).
"""

from __future__ import annotations

from dataclasses import replace

from flowforce.records.field_builders import (
    boolean,
    currency,
    date,
    datetime_,
    email,
    integer,
    number,
    percent,
    phone,
    picklist,
    readonly,
    reference,
    system_fields,
    text,
    textarea,
    time_,
    url,
)
from flowforce.records.ids import KEY_PREFIXES
from flowforce.records.registry_builder import ObjectDraft
from flowforce.records.schema import FieldSchema, FieldType

SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")
LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
INDUSTRIES = (
    "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
    "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental",
    "Finance", "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance", "Machinery",
    "Manufacturing", "Media", "Not For Profit", "Other", "Recreation", "Retail", "Shipping", "Technology",
    "Telecommunications", "Transportation", "Utilities",
)  # fmt: skip
RATINGS = ("Hot", "Warm", "Cold")
# Opportunity stage → default probability (the standard sales process).
OPPORTUNITY_STAGES = {
    "Prospecting": 10, "Qualification": 10, "Needs Analysis": 20, "Value Proposition": 50,
    "Id. Decision Makers": 60, "Perception Analysis": 70, "Proposal/Price Quote": 75,
    "Negotiation/Review": 90, "Closed Won": 100, "Closed Lost": 0,
}  # fmt: skip
ACTIVITY_PARENTS = ("Account", "Opportunity", "Case")
FEED_PARENTS = ("Account", "Contact", "Lead", "Opportunity", "Case", "User", "Group")


def _name(length: int = 255, label: str = "Name", **kw: object) -> FieldSchema:
    return text("Name", length, label, nillable=False, name_field=True, **kw)  # type: ignore[arg-type]


def _compound_name(label: str = "Full Name") -> FieldSchema:
    return readonly(text("Name", 121, label, name_field=True))


def _address(prefix: str) -> list[FieldSchema]:
    return [
        textarea(f"{prefix}Street", 255),
        text(f"{prefix}City", 40),
        text(f"{prefix}State", 80, label=f"{prefix} State/Province".strip()),
        text(f"{prefix}PostalCode", 20, label=f"{prefix} Zip/Postal Code".strip()),
        text(f"{prefix}Country", 80),
    ]


def _person_names() -> list[FieldSchema]:
    return [
        text("LastName", 80, nillable=False),
        text("FirstName", 40),
        picklist("Salutation", SALUTATIONS),
    ]


def _obj(
    name: str,
    fields: list[FieldSchema],
    *,
    label: str | None = None,
    plural: str | None = None,
    owner: bool = True,
    createable: bool = True,
) -> ObjectDraft:
    label = label or name
    draft = ObjectDraft(
        name=name,
        label=label,
        label_plural=plural or f"{label}s",
        custom=False,
        key_prefix=KEY_PREFIXES[name],
        createable=createable,
        updateable=createable,
        deletable=createable,
    )
    for schema in system_fields(label, owner=owner) + fields:
        draft.add_field(schema)
    return draft


def _record_type() -> FieldSchema:
    return reference("RecordTypeId", ("RecordType",), "RecordType", label="Record Type ID")


def _account() -> ObjectDraft:
    return _obj("Account", [
        _name(255, "Account Name"),
        picklist("Type", ("Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
                          "Installation Partner", "Technology Partner", "Other"), label="Account Type"),
        _record_type(),
        reference("ParentId", ("Account",), "Parent", "ChildAccounts", label="Parent Account ID"),
        *_address("Billing"),
        *_address("Shipping"),
        phone("Phone", label="Account Phone"),
        phone("Fax", label="Account Fax"),
        text("AccountNumber", 40),
        url("Website"),
        text("Sic", 20, label="SIC Code"),
        picklist("Industry", INDUSTRIES),
        currency("AnnualRevenue", 18, 0),
        integer("NumberOfEmployees", 8, label="Employees"),
        picklist("Ownership", ("Public", "Private", "Subsidiary", "Other")),
        text("TickerSymbol", 20),
        textarea("Description", 32000, label="Account Description"),
        picklist("Rating", RATINGS, label="Account Rating"),
        text("Site", 80, label="Account Site"),
        picklist("AccountSource", LEAD_SOURCES),
        readonly(date("LastActivityDate")),
    ])  # fmt: skip


def _contact() -> ObjectDraft:
    return _obj("Contact", [
        reference("AccountId", ("Account",), "Account", "Contacts", cascade_delete=True),
        *_person_names(),
        _compound_name(),
        _record_type(),
        *_address("Other"),
        *_address("Mailing"),
        phone("Phone", label="Business Phone"),
        phone("Fax", label="Business Fax"),
        phone("MobilePhone", label="Mobile Phone"),
        phone("HomePhone", label="Home Phone"),
        phone("OtherPhone", label="Other Phone"),
        phone("AssistantPhone", label="Asst. Phone"),
        reference("ReportsToId", ("Contact",), "ReportsTo", label="Reports To ID"),
        email("Email"),
        text("Title", 128),
        text("Department", 80),
        text("AssistantName", 40, label="Assistant's Name"),
        picklist("LeadSource", LEAD_SOURCES),
        date("Birthdate"),
        textarea("Description", 32000, label="Contact Description"),
        boolean("HasOptedOutOfEmail", label="Email Opt Out"),
        boolean("DoNotCall"),
        reference("IndividualId", ("Individual",), "Individual", "Contacts"),
        readonly(date("LastActivityDate")),
    ])  # fmt: skip


def _lead() -> ObjectDraft:
    return _obj("Lead", [
        *_person_names(),
        _compound_name(),
        _record_type(),
        text("Title", 128),
        text("Company", 255, nillable=False),
        *_address(""),
        phone("Phone"),
        phone("MobilePhone", label="Mobile Phone"),
        phone("Fax"),
        email("Email"),
        url("Website"),
        textarea("Description", 32000),
        picklist("LeadSource", LEAD_SOURCES),
        picklist("Status", ("Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                            "Closed - Not Converted"), default="Open - Not Contacted", nillable=False),
        picklist("Industry", INDUSTRIES),
        picklist("Rating", RATINGS),
        currency("AnnualRevenue", 18, 0),
        integer("NumberOfEmployees", 8, label="Employees"),
        boolean("HasOptedOutOfEmail", label="Email Opt Out"),
        boolean("DoNotCall"),
        boolean("IsConverted", label="Converted"),
        readonly(date("ConvertedDate")),
        readonly(reference("ConvertedAccountId", ("Account",), "ConvertedAccount")),
        readonly(reference("ConvertedContactId", ("Contact",), "ConvertedContact")),
        readonly(reference("ConvertedOpportunityId", ("Opportunity",), "ConvertedOpportunity")),
        boolean("IsUnreadByOwner", label="Unread By Owner"),
        reference("IndividualId", ("Individual",), "Individual", "Leads"),
    ], plural="Leads")  # fmt: skip


def _opportunity() -> ObjectDraft:
    return _obj("Opportunity", [
        reference("AccountId", ("Account",), "Account", "Opportunities", cascade_delete=True),
        _record_type(),
        _name(120),
        textarea("Description", 32000),
        picklist("StageName", tuple(OPPORTUNITY_STAGES), label="Stage", nillable=False),
        currency("Amount", 18, 2),
        percent("Probability", 3, 0, label="Probability (%)"),
        replace(currency("ExpectedRevenue", 18, 2, label="Expected Amount"), createable=False,
                updateable=False, formula="Amount * Probability / 100"),
        number("TotalOpportunityQuantity", 18, 2, label="Quantity"),
        date("CloseDate", nillable=False),
        picklist("Type", ("Existing Customer - Upgrade", "Existing Customer - Replacement",
                          "Existing Customer - Downgrade", "New Customer"), label="Opportunity Type"),
        text("NextStep", 255),
        picklist("LeadSource", LEAD_SOURCES),
        readonly(boolean("IsClosed", label="Closed")),
        readonly(boolean("IsWon", label="Won")),
        picklist("ForecastCategoryName", ("Omitted", "Pipeline", "Best Case", "Commit", "Closed"),
                 label="Forecast Category"),
        reference("ContactId", ("Contact",), "Contact", "Opportunities"),
        readonly(date("LastActivityDate")),
    ], plural="Opportunities")  # fmt: skip


def _case() -> ObjectDraft:
    return _obj("Case", [
        readonly(replace(text("CaseNumber", 30, label="Case Number", name_field=True), auto_number=True,
                         display_format="{00000000}", nillable=False)),
        reference("ContactId", ("Contact",), "Contact", "Cases"),
        reference("AccountId", ("Account",), "Account", "Cases", cascade_delete=True),
        reference("ParentId", ("Case",), "Parent", "Cases", label="Parent Case ID"),
        _record_type(),
        text("SuppliedName", 80, label="Web Name"),
        email("SuppliedEmail", label="Web Email"),
        phone("SuppliedPhone", label="Web Phone"),
        text("SuppliedCompany", 80, label="Web Company"),
        picklist("Type", ("Mechanical", "Electrical", "Electronic", "Structural", "Other"), label="Case Type"),
        picklist("Status", ("New", "Working", "Escalated", "Closed"), default="New"),
        picklist("Reason", ("Installation", "Equipment Complexity", "Performance", "Breakdown",
                            "Equipment Design", "Feedback", "Other"), label="Case Reason"),
        picklist("Origin", ("Phone", "Email", "Web"), label="Case Origin"),
        text("Subject", 255),
        picklist("Priority", ("High", "Medium", "Low"), default="Medium"),
        textarea("Description", 32000),
        readonly(boolean("IsClosed", label="Closed")),
        readonly(datetime_("ClosedDate", label="Closed Date")),
        boolean("IsEscalated", label="Escalated"),
    ], plural="Cases")  # fmt: skip


def _activity_common() -> list[FieldSchema]:
    return [
        reference("WhoId", ("Contact", "Lead"), "Who", None, label="Name ID"),
        reference("WhatId", ACTIVITY_PARENTS, "What", None, label="Related To ID"),
        replace(text("Subject", 255, name_field=True), type=FieldType.COMBOBOX),
        date("ActivityDate", label="Due Date Only"),
        textarea("Description", 32000),
        picklist("Type", ("Call", "Meeting", "Email", "Other")),
        readonly(reference("AccountId", ("Account",), "Account")),
    ]


def _task() -> ObjectDraft:
    draft = _obj("Task", [
        *_activity_common(),
        picklist("Status", ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"),
                 default="Not Started", nillable=False),
        picklist("Priority", ("High", "Normal", "Low"), default="Normal", nillable=False),
        readonly(boolean("IsClosed", label="Closed")),
        picklist("TaskSubtype", ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")),
        integer("CallDurationInSeconds", 8, label="Call Duration"),
        picklist("CallType", ("Internal", "Inbound", "Outbound")),
        datetime_("ReminderDateTime", label="Reminder Date/Time"),
        boolean("IsReminderSet", label="Reminder Set"),
        datetime_("CompletedDateTime", label="Completed Date/Time"),
    ])  # fmt: skip
    return _with_activity_children(draft, "Tasks")


def _event() -> ObjectDraft:
    draft = _obj("Event", [
        *_activity_common(),
        datetime_("ActivityDateTime", label="Due Date Time"),
        datetime_("StartDateTime", label="Start Date Time"),
        datetime_("EndDateTime", label="End Date Time"),
        date("EndDate", label="End"),
        integer("DurationInMinutes", 8, label="Duration"),
        text("Location", 255),
        boolean("IsAllDayEvent", label="All-Day Event"),
        boolean("IsPrivate", label="Private"),
        picklist("ShowAs", ("Busy", "OutOfOffice", "Free"), label="Show Time As", default="Busy"),
    ])  # fmt: skip
    return _with_activity_children(draft, "Events")


def _with_activity_children(draft: ObjectDraft, relationship: str) -> ObjectDraft:
    for key in ("whoid", "whatid"):
        draft.fields[key] = replace(draft.fields[key], child_relationship_name=relationship, cascade_delete=True)
    return draft


def _user() -> ObjectDraft:
    return _obj("User", [
        text("Username", 80, nillable=False, unique=True, id_lookup=True),
        *_person_names()[:2],
        _compound_name(),
        text("CompanyName", 80),
        text("Division", 80),
        text("Department", 80),
        text("Title", 80),
        *_address(""),
        email("Email", length=128, nillable=False),
        phone("Phone"),
        phone("MobilePhone", label="Mobile"),
        text("Alias", 8, nillable=False),
        text("CommunityNickname", 40, label="Nickname"),
        boolean("IsActive", label="Active", default=True),
        picklist("TimeZoneSidKey", ("America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris",
                                    "GMT", "Asia/Tokyo"), label="Time Zone", nillable=False,
                 default="America/Los_Angeles"),
        picklist("LocaleSidKey", ("en_US", "en_GB", "fr_FR", "de_DE", "ja_JP"), label="Locale",
                 nillable=False, default="en_US"),
        picklist("EmailEncodingKey", ("UTF-8", "ISO-8859-1"), label="Email Encoding", nillable=False,
                 default="UTF-8"),
        picklist("LanguageLocaleKey", ("en_US", "fr", "de", "ja"), label="Language", nillable=False,
                 default="en_US"),
        reference("ProfileId", ("Profile",), "Profile", "Users", nillable=False),
        reference("ManagerId", ("User",), "Manager", "ManagedUsers"),
        readonly(picklist("UserType", ("Standard", "PowerPartner", "CspLitePortal", "CustomerSuccess",
                                       "PowerCustomerSuccess", "CsnOnly", "Guest"))),
        text("FederationIdentifier", 512, label="SAML Federation ID"),
        readonly(datetime_("LastLoginDate", label="Last Login")),
    ], owner=False)  # fmt: skip


def _profile() -> ObjectDraft:
    return _obj("Profile", [
        _name(255),
        textarea("Description", 255),
        picklist("UserType", ("Standard", "PowerPartner", "CspLitePortal", "Guest"), label="User Type"),
    ], owner=False)  # fmt: skip


def _permission_set() -> ObjectDraft:
    return _obj("PermissionSet", [
        _name(80),
        text("Label", 80, nillable=False),
        textarea("Description", 255),
        readonly(boolean("IsOwnedByProfile", label="Is Owned By Profile")),
        readonly(reference("ProfileId", ("Profile",), "Profile")),
        text("NamespacePrefix", 15),
    ], label="Permission Set", owner=False)  # fmt: skip


def _group() -> ObjectDraft:
    return _obj("Group", [
        _name(40),
        text("DeveloperName", 80),
        picklist("Type", ("Regular", "Role", "RoleAndSubordinates", "Organization", "Queue", "Manager"),
                 nillable=False, default="Regular"),
        email("Email"),
        boolean("DoesSendEmailToMembers", label="Send Email to Members"),
        boolean("DoesIncludeBosses", label="Include Bosses"),
    ])  # fmt: skip


def _organization() -> ObjectDraft:
    return _obj("Organization", [
        _name(80),
        text("Division", 80),
        *_address(""),
        phone("Phone"),
        phone("Fax"),
        text("PrimaryContact", 80),
        picklist("DefaultLocaleSidKey", ("en_US",), label="Locale"),
        picklist("LanguageLocaleKey", ("en_US",), label="Language"),
        picklist("TimeZoneSidKey", ("America/Los_Angeles", "GMT"), label="Time Zone"),
        text("OrganizationType", 40, label="Edition"),
        text("InstanceName", 5),
        boolean("IsSandbox"),
        datetime_("TrialExpirationDate", label="Trial Expiration Date"),
        text("NamespacePrefix", 15),
    ], owner=False, createable=False)  # fmt: skip


def _record_type_object() -> ObjectDraft:
    return _obj("RecordType", [
        _name(80, "Record Type Name"),
        text("DeveloperName", 80, label="Record Type Name", nillable=False),
        text("NamespacePrefix", 15),
        textarea("Description", 255),
        text("SobjectType", 40, nillable=False),
        boolean("IsActive", label="Active", default=True),
    ], label="Record Type", owner=False)  # fmt: skip


def _individual() -> ObjectDraft:
    return _obj("Individual", [
        *_person_names(),
        _compound_name(),
        date("BirthDate"),
        boolean("HasOptedOutTracking", label="Don't Track"),
        boolean("HasOptedOutProfiling", label="Don't Profile"),
        boolean("HasOptedOutProcessing", label="Don't Process"),
        boolean("HasOptedOutSolicit", label="Don't Market"),
        boolean("ShouldForget", label="Forget this Individual"),
        boolean("SendIndividualData", label="Export Individual's Data"),
        boolean("CanStorePiiElsewhere", label="OK to Store PII Data Elsewhere"),
    ])  # fmt: skip


def _contact_point(name: str, specific: list[FieldSchema], children: str) -> ObjectDraft:
    label = "Contact Point Email" if name == "ContactPointEmail" else "Contact Point Phone"
    return _obj(name, [
        _name(255),
        reference("ParentId", ("Individual", "Account"), "Parent", children, nillable=False),
        *specific,
        boolean("IsPrimary", label="Primary"),
        date("ActiveFromDate", label="Active from Date"),
        date("ActiveToDate", label="Active to Date"),
        time_("BestTimeToContactStartTime", label="Best Time to Contact Start Time"),
        time_("BestTimeToContactEndTime", label="Best Time to Contact End Time"),
    ], label=label)  # fmt: skip


def _contact_point_email() -> ObjectDraft:
    draft = _contact_point("ContactPointEmail", [
        email("EmailAddress", length=80, nillable=False),
        readonly(text("EmailDomain", 255)),
        datetime_("EmailLatestBounceDateTime", label="Email Latest Bounce Date Time"),
    ], "ContactPointEmails")  # fmt: skip
    draft.fields["name"] = readonly(draft.fields["name"])
    return draft


def _contact_point_phone() -> ObjectDraft:
    draft = _contact_point("ContactPointPhone", [
        phone("TelephoneNumber", label="Phone", nillable=False),
        text("AreaCode", 255),
        text("ExtensionNumber", 40, label="Extension"),
        picklist("PhoneType", ("Home", "Mobile", "Work", "Fax", "Other"), label="Phone Type"),
        boolean("IsSmsCapable", label="SMS Capable"),
        boolean("IsFaxCapable", label="Fax Capable"),
    ], "ContactPointPhones")  # fmt: skip
    draft.fields["name"] = readonly(draft.fields["name"])
    return draft


def _feed_item() -> ObjectDraft:
    return _obj("FeedItem", [
        reference("ParentId", FEED_PARENTS, "Parent", "Feeds", nillable=False, updateable=False,
                  cascade_delete=True),
        picklist("Type", ("TextPost", "LinkPost", "ContentPost", "AdvancedTextPost", "QuestionPost",
                          "TrackedChange"), default="TextPost"),
        textarea("Body", 10000, html_formatted=True),
        text("Title", 255),
        url("LinkUrl", label="Link Url"),
        boolean("IsRichText", label="Is Rich Text"),
        readonly(integer("CommentCount", 9, label="Comment Count")),
        readonly(integer("LikeCount", 9, label="Like Count")),
        reference("BestCommentId", ("FeedComment",), "BestComment", label="Best Comment ID"),
        picklist("Status", ("Published", "PendingReview"), default="Published"),
        picklist("Visibility", ("AllUsers", "InternalUsers"), default="AllUsers"),
    ], label="Feed Item", owner=False)  # fmt: skip


def _feed_comment() -> ObjectDraft:
    return _obj("FeedComment", [
        reference("FeedItemId", ("FeedItem",), "FeedItem", "FeedComments", nillable=False, updateable=False,
                  cascade_delete=True),
        readonly(reference("ParentId", FEED_PARENTS, "Parent")),
        textarea("CommentBody", 10000, nillable=False, html_formatted=True),
        picklist("CommentType", ("TextComment", "ContentComment"), default="TextComment"),
        boolean("IsRichText", label="Is Rich Text"),
        picklist("Status", ("Published", "PendingReview"), default="Published"),
    ], label="Feed Comment", owner=False)  # fmt: skip


def _email_message() -> ObjectDraft:
    return _obj("EmailMessage", [
        reference("ParentId", ("Case",), "Parent", "EmailMessages", cascade_delete=True),
        reference("ActivityId", ("Task",), "Activity"),
        reference("RelatedToId", ("Account", "Opportunity", "Case", "Contact", "Lead"), "RelatedTo", "Emails"),
        reference("ReplyToEmailMessageId", ("EmailMessage",), "ReplyToEmailMessage"),
        text("Subject", 3000, name_field=True),
        textarea("TextBody", 131072, label="Text Body"),
        textarea("HtmlBody", 131072, label="HTML Body", html_formatted=True),
        textarea("Headers", 32000),
        text("FromName", 1000, label="From Name"),
        email("FromAddress", label="From Address"),
        text("ToAddress", 4000, label="To Address"),
        text("CcAddress", 4000, label="CC Address"),
        text("BccAddress", 4000, label="BCC Address"),
        boolean("Incoming", label="Is Incoming"),
        picklist("Status", ("0", "1", "2", "3", "4", "5"), nillable=False, default="0"),
        datetime_("MessageDate", label="Message Date"),
        text("MessageIdentifier", 255, label="Message ID"),
        text("ThreadIdentifier", 255, label="Thread ID"),
        boolean("IsExternallyVisible", label="Externally Visible"),
    ], label="Email Message", owner=False)  # fmt: skip


def standard_drafts() -> list[ObjectDraft]:
    """Fresh drafts of every standard object (fresh so that a project can extend them without sharing state)."""
    return [
        _account(), _contact(), _lead(), _opportunity(), _case(), _task(), _event(), _user(), _profile(),
        _permission_set(), _group(), _organization(), _record_type_object(), _individual(),
        _contact_point_email(), _contact_point_phone(), _feed_item(), _feed_comment(), _email_message(),
    ]  # fmt: skip
