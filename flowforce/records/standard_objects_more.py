"""More standard objects real flows touch: products and price books, assets and entitlements, campaigns,
contracts, files (Content*), Service Cloud incident management, account teams, custom notification types and
the platform's error events — with Salesforce's field names and types (Object Reference), the fields flows and
typical data use. Same declarative style as standard_objects.py.
"""

from __future__ import annotations

from flowforce.records.field_builders import (
    boolean,
    currency,
    date,
    datetime_,
    email,
    integer,
    number,
    picklist,
    readonly,
    reference,
    text,
    textarea,
    url,
)
from flowforce.records.registry_builder import ObjectDraft
from flowforce.records.schema import FieldSchema
from flowforce.records.standard_objects import address_fields, object_draft, record_type_field, standard_name

PRIORITIES = ("Critical", "High", "Moderate", "Low")
IMPACTS = ("High", "Medium", "Low")


def _products() -> list[ObjectDraft]:
    return [
        object_draft("Product2", [
            standard_name(255, "Product Name"), text("ProductCode", 255, label="Product Code"),
            textarea("Description", 4000, label="Product Description"), boolean("IsActive", label="Active"),
            picklist("Family", ("None",), label="Product Family"), text("StockKeepingUnit", 180, label="Product SKU"),
            text("QuantityUnitOfMeasure", 255, label="Quantity Unit Of Measure"), text("ExternalId", 255),
            record_type_field(),
        ], label="Product", owner=False),
        object_draft("Pricebook2", [
            standard_name(255, "Price Book Name"), textarea("Description", 255), boolean("IsActive", label="Active"),
            readonly(boolean("IsStandard", label="Is Standard Price Book")),
        ], label="Price Book", owner=False),
        object_draft("PricebookEntry", [
            readonly(text("Name", 255, label="Product Name", name_field=True)),
            reference("Pricebook2Id", ("Pricebook2",), "Pricebook2", "PricebookEntries", nillable=False,
                      updateable=False, label="Price Book ID"),
            reference("Product2Id", ("Product2",), "Product2", "PricebookEntries", nillable=False,
                      updateable=False, label="Product ID"),
            currency("UnitPrice", 18, 2, label="List Price", nillable=False), boolean("IsActive", label="Active"),
            boolean("UseStandardPrice", label="Use Standard Price"),
            readonly(text("ProductCode", 255, label="Product Code")),
        ], label="Price Book Entry", plural="Price Book Entries", owner=False),
        object_draft("OpportunityLineItem", [
            reference("OpportunityId", ("Opportunity",), "Opportunity", "OpportunityLineItems", nillable=False,
                      updateable=False, cascade_delete=True),
            reference("PricebookEntryId", ("PricebookEntry",), "PricebookEntry", "OpportunityLineItems",
                      label="Price Book Entry ID"),
            reference("Product2Id", ("Product2",), "Product2", "OpportunityLineItems", label="Product ID"),
            readonly(text("Name", 376, label="Opportunity Product Name", name_field=True)),
            number("Quantity", 12, 2, nillable=False), currency("UnitPrice", 18, 2, label="Sales Price"),
            currency("ListPrice", 18, 2, label="List Price"), currency("TotalPrice", 18, 2, label="Total Price"),
            number("Discount", 5, 2), date("ServiceDate", label="Date"),
            text("Description", 255, label="Line Description"),
            readonly(text("ProductCode", 255, label="Product Code")), integer("SortOrder", 9, label="Sort Order"),
        ], label="Opportunity Product", owner=False),
    ]  # fmt: skip


def _assets_and_entitlements() -> list[ObjectDraft]:
    return [
        object_draft("Asset", [
            standard_name(255, "Asset Name"), reference("AccountId", ("Account",), "Account", "Assets"),
            reference("ContactId", ("Contact",), "Contact", "Assets"),
            reference("Product2Id", ("Product2",), "Product2", "Assets", label="Product ID"),
            reference("ParentId", ("Asset",), "Parent", "ChildAssets", label="Parent Asset ID"),
            reference("RootAssetId", ("Asset",), "RootAsset", label="Root Asset ID"),
            text("SerialNumber", 80, label="Serial Number"), date("InstallDate", label="Install Date"),
            date("PurchaseDate", label="Purchase Date"), date("UsageEndDate", label="Usage End Date"),
            picklist("Status", ("Purchased", "Shipped", "Installed", "Registered", "Obsolete")),
            currency("Price", 18, 2), number("Quantity", 18, 2), textarea("Description", 32000),
            boolean("IsCompetitorProduct", label="Competitor Asset"), record_type_field(), *address_fields(""),
        ]),
        object_draft("Entitlement", [
            standard_name(255, "Entitlement Name"),
            reference("AccountId", ("Account",), "Account", "Entitlements", nillable=False),
            reference("AssetId", ("Asset",), "Asset", "Entitlements"),
            date("StartDate", label="Start Date"), date("EndDate", label="End Date"),
            readonly(picklist("Status", ("Active", "Expired", "Inactive"))),
            picklist("Type", ("Phone Support", "Web Support", "Email Support")),
            boolean("IsPerIncident", label="Per Incident"),
            integer("CasesPerEntitlement", 9, label="Cases Per Entitlement"),
            integer("RemainingCases", 9, label="Remaining Cases"),
        ]),
        object_draft("EntityMilestone", [
            standard_name(255, "Object Milestone Name"),
            reference("ParentEntityId", ("Incident", "Problem", "ChangeRequest"), "ParentEntity",
                      "EntityMilestones", label="Parent Entity ID"),
            datetime_("StartDate", label="Start Date"), datetime_("TargetDate", label="Target Date"),
            datetime_("CompletionDate", label="Completion Date"), boolean("IsCompleted", label="Completed"),
            readonly(boolean("IsViolated", label="Violation")),
            picklist("Status", ("Open", "Completed", "Violated")),
        ], label="Object Milestone"),
    ]  # fmt: skip


def _campaigns_and_contracts() -> list[ObjectDraft]:
    return [
        object_draft("Campaign", [
            standard_name(80, "Campaign Name"), reference("ParentId", ("Campaign",), "Parent", "ChildCampaigns"),
            picklist("Type", ("Conference", "Webinar", "Trade Show", "Public Relations", "Partners", "Referral Program",
                              "Advertisement", "Banner Ads", "Direct Mail", "Email", "Telemarketing", "Other")),
            picklist("Status", ("Planned", "In Progress", "Completed", "Aborted")), date("StartDate"), date("EndDate"),
            currency("ExpectedRevenue", 18, 0, label="Expected Revenue in Campaign"),
            currency("BudgetedCost", 18, 0, label="Budgeted Cost in Campaign"),
            currency("ActualCost", 18, 0, label="Actual Cost in Campaign"), number("ExpectedResponse", 10, 2),
            boolean("IsActive", label="Active"), textarea("Description", 32000), record_type_field(),
            readonly(integer("NumberOfLeads", 9, label="Leads in Campaign")),
            readonly(integer("NumberOfContacts", 9, label="Contacts in Campaign")),
        ]),
        object_draft("CampaignMember", [
            reference("CampaignId", ("Campaign",), "Campaign", "CampaignMembers", nillable=False, updateable=False,
                      cascade_delete=True),
            reference("LeadId", ("Lead",), "Lead", "CampaignMembers", updateable=False, cascade_delete=True),
            reference("ContactId", ("Contact",), "Contact", "CampaignMembers", updateable=False, cascade_delete=True),
            reference("LeadOrContactId", ("Lead", "Contact"), "LeadOrContact", createable=False, updateable=False),
            picklist("Status", ("Planned", "Received", "Responded", "Sent")),
            readonly(boolean("HasResponded", label="Responded")),
            date("FirstRespondedDate", label="First Responded Date"),
            readonly(text("Name", 121, name_field=True)), readonly(text("FirstName", 40)),
            readonly(text("LastName", 80)), readonly(email("Email")), readonly(text("CompanyOrAccount", 255)),
        ], label="Campaign Member", owner=False),
        object_draft("Contract", [
            reference("AccountId", ("Account",), "Account", "Contracts", nillable=False),
            readonly(text("ContractNumber", 30, label="Contract Number", name_field=True)),
            picklist("Status", ("Draft", "In Approval Process", "Activated"), nillable=False, default="Draft"),
            date("StartDate", label="Contract Start Date"), readonly(date("EndDate", label="Contract End Date")),
            integer("ContractTerm", 4, label="Contract Term (months)"), textarea("Description", 32000),
            textarea("SpecialTerms", 4000, label="Special Terms"), record_type_field(),
            reference("CustomerSignedId", ("Contact",), "CustomerSigned", label="Customer Signed By ID"),
            date("CustomerSignedDate", label="Customer Signed Date"),
        ]),
    ]  # fmt: skip


def _content() -> list[ObjectDraft]:
    return [
        object_draft("ContentDocument", [
            text("Title", 255, name_field=True, nillable=False), textarea("Description", 1000),
            readonly(text("FileType", 20, label="File Type")), readonly(text("FileExtension", 40)),
            readonly(integer("ContentSize", 9, label="Size")),
            readonly(reference("LatestPublishedVersionId", ("ContentVersion",), "LatestPublishedVersion")),
            picklist("PublishStatus", ("U", "P", "R"), label="Publish Status"),
        ], label="Content Document"),
        object_draft("ContentVersion", [
            text("Title", 255, name_field=True), textarea("Description", 1000),
            text("PathOnClient", 500, label="Path On Client"), text("VersionData", 255, label="Version Data"),
            reference("ContentDocumentId", ("ContentDocument",), "ContentDocument", "ContentVersions",
                      updateable=False, label="ContentDocument ID"),
            reference("FirstPublishLocationId", ("Account", "Contact", "Case", "Opportunity", "Lead", "User"),
                      "FirstPublishLocation", updateable=False, label="First Publish Location ID"),
            readonly(boolean("IsLatest", label="Is Latest")), readonly(text("FileType", 20, label="File Type")),
            readonly(text("FileExtension", 40)), readonly(integer("ContentSize", 9, label="Size")),
            text("VersionNumber", 20, label="Version Number"), url("ContentUrl", label="Content URL"),
            text("ReasonForChange", 1000, label="Reason For Change"),
        ], label="Content Version"),
        object_draft("ContentDocumentLink", [
            reference("ContentDocumentId", ("ContentDocument",), "ContentDocument", "ContentDocumentLinks",
                      nillable=False, updateable=False, cascade_delete=True),
            reference("LinkedEntityId", ("Account", "Contact", "Case", "Opportunity", "Lead", "User", "Task",
                                         "Event", "EmailMessage"), "LinkedEntity", "ContentDocumentLinks",
                      nillable=False, updateable=False, label="Linked Entity ID"),
            picklist("ShareType", ("V", "C", "I"), label="Share Type", default="V"),
            picklist("Visibility", ("AllUsers", "InternalUsers", "SharedUsers"), default="AllUsers"),
        ], label="Content Document Link", owner=False),
    ]  # fmt: skip


def _service_record(name: str, label: str, extra: list[FieldSchema], *, plural: str | None = None) -> ObjectDraft:
    """Incident, Problem, ChangeRequest share Service Cloud's ITSM shape: subject, status, priority, impact."""
    return object_draft(name, [
        readonly(text(f"{name}Number", 255, label=f"{label} Number", name_field=True)), text("Subject", 255),
        textarea("Description", 32000), picklist("Status", ("New", "In Progress", "On Hold", "Resolved", "Closed")),
        picklist("Priority", PRIORITIES), picklist("Impact", IMPACTS), picklist("Urgency", IMPACTS),
        picklist("Category", ("Hardware", "Software", "Network", "Other")), record_type_field(), *extra,
    ], label=label, plural=plural)  # fmt: skip


def _service_cloud() -> list[ObjectDraft]:
    related = ("Case", "Incident", "Problem", "ChangeRequest")
    return [
        _service_record("Incident", "Incident", [
            datetime_("DetectedDateTime", label="Detected Date"),
            datetime_("ResolutionDateTime", label="Resolved Date"),
            textarea("ResolutionSummary", 32000, label="Resolution Summary"),
            picklist("Type", ("Incident", "Major Incident", "Security Incident")),
        ]),
        _service_record("Problem", "Problem", [
            textarea("RootCauseSummary", 32000, label="Root Cause Summary"),
            textarea("Workaround", 32000), boolean("IsKnownError", label="Known Error"),
            datetime_("ResolvedDateTime", label="Resolved Date"),
        ]),
        _service_record("ChangeRequest", "Change Request", [
            picklist("RiskLevel", ("High", "Medium", "Low"), label="Risk Level"),
            picklist("ChangeType", ("Standard", "Normal", "Emergency"), label="Change Type"),
            datetime_("EstimatedStartDate", label="Estimated Start Date"),
            datetime_("EstimatedEndDate", label="Estimated End Date"), textarea("BackoutPlan", 32000),
        ]),
        object_draft("CaseRelatedIssue", [
            readonly(text("Name", 255, label="Case Related Issue Name", name_field=True)),
            reference("CaseId", ("Case",), "Case", "CaseRelatedIssues", nillable=False, cascade_delete=True),
            reference("RelatedIssueId", ("Incident", "Problem", "ChangeRequest"), "RelatedIssue", "CaseRelatedIssues",
                      nillable=False, label="Related Issue ID"),
            picklist("RelationshipType", ("Caused By", "Duplicate Of", "Related To"), label="Relationship Type"),
        ], label="Case Related Issue", owner=False),
        object_draft("IncidentRelatedItem", [
            readonly(text("Name", 255, label="Incident Related Item Name", name_field=True)),
            reference("IncidentId", ("Incident",), "Incident", "IncidentRelatedItems", nillable=False,
                      cascade_delete=True),
            reference("AssetId", ("Asset",), "Asset", "IncidentRelatedItems"),
            reference("RelatedItemId", related, "RelatedItem", label="Related Item ID"),
            picklist("ImpactType", ("Affected", "Caused By"), label="Impact Type"),
        ], label="Incident Related Item", owner=False),
    ]  # fmt: skip


def _platform() -> list[ObjectDraft]:
    return [
        object_draft("AccountTeamMember", [
            reference("AccountId", ("Account",), "Account", "AccountTeamMembers", nillable=False, updateable=False,
                      cascade_delete=True),
            reference("UserId", ("User",), "User", nillable=False, updateable=False),
            picklist("TeamMemberRole", ("Account Manager", "Channel Manager", "Executive Sponsor", "Lead Qualifier",
                                        "Pre-Sales Consultant", "Sales Manager", "Sales Rep",
                                        "Technical Sales Manager"),
                     label="Team Role"),
            picklist("AccountAccessLevel", ("Read", "Edit", "All"), label="Account Access"),
            picklist("CaseAccessLevel", ("None", "Read", "Edit"), label="Case Access"),
            picklist("OpportunityAccessLevel", ("None", "Read", "Edit"), label="Opportunity Access"),
            readonly(text("Title", 80)),
        ], label="Account Team Member", owner=False),
        object_draft("EntityDefinition", [
            text("DurableId", 255, label="Durable ID"), text("QualifiedApiName", 250, label="Qualified API Name",
                                                             name_field=True),
            text("DeveloperName", 40, label="Developer Name"), text("MasterLabel", 255, label="Master Label"),
            text("Label", 255), text("PluralLabel", 255, label="Plural Label"),
            text("KeyPrefix", 3, label="Key Prefix"),
            text("NamespacePrefix", 15, label="Namespace Prefix"), boolean("IsCustomizable", label="Customizable"),
            boolean("IsQueryable", label="Queryable"), boolean("IsCustomSetting", label="Custom Setting"),
            boolean("IsEverCreatable", label="Creatable"), boolean("IsEverUpdatable", label="Updatable"),
            boolean("IsEverDeletable", label="Deletable"),
        ], label="Entity Definition", owner=False, createable=False),
        object_draft("UserRole", [
            standard_name(80), text("DeveloperName", 80), reference("ParentRoleId", ("UserRole",), "ParentRole"),
            text("RollupDescription", 80, label="Description"),
            picklist("OpportunityAccessForAccountOwner", ("None", "Read", "Edit")),
        ], label="Role", owner=False),
        object_draft("CustomNotificationType", [
            text("DeveloperName", 80, label="API Name", nillable=False, unique=True, id_lookup=True),
            text("MasterLabel", 80, label="Custom Notification Name", name_field=True, nillable=False),
            text("CustomNotifTypeName", 80, label="Custom Notification Type Name"), textarea("Description", 255),
            boolean("Desktop"), boolean("Mobile"), text("NamespacePrefix", 15),
        ], label="Custom Notification Type", owner=False, createable=False),
        object_draft("FlowExecutionErrorEvent", [
            text("FlowApiName", 255, label="Flow API Name"), text("FlowVersionId", 18, label="Flow Version ID"),
            text("InterviewGuid", 255, label="Interview GUID"), text("ElementApiName", 255, label="Element API Name"),
            text("ElementType", 255, label="Element Type"), textarea("ErrorMessage", 32000, label="Error Message"),
            text("ErrorId", 255, label="Error ID"), text("ContextRecordId", 18, label="Context Record ID"),
            text("ContextObject", 255, label="Context Object"), text("ProcessType", 255, label="Process Type"),
            datetime_("EventDate", label="Event Date"), text("Username", 255), text("UserId", 18, label="User ID"),
            text("EventUuid", 36, label="Event UUID"), text("ReplayId", 255, label="Replay ID"),
        ], label="Flow Execution Error Event", owner=False, event=True),
        object_draft("BatchApexErrorEvent", [
            text("AsyncApexJobId", 18, label="Async Apex Job ID"), boolean("DoesExceedJobScopeMaxLength"),
            text("ExceptionType", 255, label="Exception Type"), textarea("JobScope", 40000, label="Job Scope"),
            textarea("Message", 5000), text("Phase", 40), textarea("StackTrace", 5000, label="Stack Trace"),
            text("RequestId", 40, label="Request ID"), text("EventUuid", 36, label="Event UUID"),
            text("ReplayId", 255, label="Replay ID"),
        ], label="Batch Apex Error Event", owner=False, event=True),
    ]  # fmt: skip


def standard_drafts() -> list[ObjectDraft]:
    return [*_products(), *_assets_and_entitlements(), *_campaigns_and_contracts(), *_content(), *_service_cloud(),
            *_platform()]
