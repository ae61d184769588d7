"""The enumerations of the Flow metadata schema that the validator checks values against.

Salesforce refuses to deploy a file with a value outside these sets, so a value we do not know is either a
typo (the Flow Scanner fixture `SystemModeWitSharing`, reference/flow-metadata.md §7.6) or a newer feature;
the validator decides per field whether that is a warning or an error. Lists are from the WSDL segments quoted
in reference/flow-metadata.md §2–5.
"""

from __future__ import annotations

PROCESS_TYPES = frozenset(
    {
        "AutoLaunchedFlow",
        "Flow",
        "Workflow",
        "CustomEvent",
        "InvocableProcess",
        "LoginFlow",
        "ActionPlan",
        "JourneyBuilderIntegration",
        "UserProvisioningFlow",
        "Survey",
        "SurveyEnrich",
        "Appointments",
        "FSCLending",
        "DigitalForm",
        "FieldServiceMobile",
        "OrchestrationFlow",
        "FieldServiceWeb",
        "TransactionSecurityFlow",
        "ContactRequestFlow",
        "ManagedContentFlow",
        "CheckoutFlow",
        "CartAsyncFlow",
        "DataCaptureFlow",
        "CustomerLifecycle",
        "Journey",
        "RecommendationStrategy",
        "Orchestrator",
        "RoutingFlow",
        "ServiceCatalogItemFlow",
        "EvaluationFlow",
        "LoyaltyManagementFlow",
        "ManagedContentAuthoringWorkflow",
        "ActionCadenceAutolaunchedFlow",
        "ActionCadenceStepFlow",
        "IndicatorResultFlow",
        "IndividualObjectLinkingFlow",
        "PromptFlow",
        "ApprovalWorkflow",
        "DcvrFrameworkDataCaptureFlow",
        "ActivityObjectMatchingFlow",
        "ActionableEventManagementFlow",
        "StageManagementEvaluationFlow",
        "IdentityUserRegistrationFlow",
        "AgxBackgroundFlow",
        "AgxScreenDataFlow",
        "AgxScreenFlow",
        "AgxOrchestrationFlow",
        "UnifiedSchedulingFlow",
        # reference/flow-metadata.md §2.1: seen in 5 real files, not in the WSDL we have.
        "AppProcess",
    }
)

STATUSES = frozenset({"Active", "Draft", "Obsolete", "InvalidDraft", "UnderReview"})

RUN_IN_MODES = frozenset({"DefaultMode", "SystemModeWithSharing", "SystemModeWithoutSharing"})

TRIGGER_TYPES = frozenset(
    {
        "None",
        "Scheduled",
        "RecordBeforeSave",
        "RecordBeforeDelete",
        "RecordAfterSave",
        "PlatformEvent",
        "EventDrivenJourney",
        "Segment",
        "DataCloudDataChange",
        "FormSubmissionEvent",
        "Capability",
        "AutomationEvent",
        "ExternalSystemChange",
        "DataGraphDataChange",
        "Activation",
        "AdminAutomationEvent",
        "BroadcastNoTrigger",
        "OnDemandNoTrigger",
        "IndivRelatedRecord",
        "ScheduledHighScale",
    }
)

#: Triggers whose interview is about one record of `start.object`, bound to `$Record`.
RECORD_TRIGGERS = frozenset({"RecordBeforeSave", "RecordAfterSave", "RecordBeforeDelete"})
RECORD_BOUND_TRIGGERS = RECORD_TRIGGERS | {"Scheduled", "PlatformEvent"}

RECORD_TRIGGER_TYPES = frozenset({"Create", "Update", "CreateAndUpdate", "Delete", "None"})

DATA_TYPES = frozenset(
    {
        "Currency",
        "Date",
        "Number",
        "String",
        "Boolean",
        "SObject",
        "DateTime",
        "Time",
        "Picklist",
        "Multipicklist",
        "Apex",
    }
)

ASSIGNMENT_OPERATORS = frozenset(
    {
        "None",
        "Assign",
        "Add",
        "Subtract",
        "AddItem",
        "RemoveFirst",
        "RemoveBeforeFirst",
        "RemoveAfterFirst",
        "RemoveAll",
        "AddAtStart",
        "RemoveUncommon",
        "AssignCount",
        "RemovePosition",
    }
)

#: Operators that only make sense on a collection target (reference/flow-metadata.md §5.1).
COLLECTION_ASSIGNMENT_OPERATORS = frozenset(
    {
        "AddAtStart",
        "RemoveFirst",
        "RemoveBeforeFirst",
        "RemoveAfterFirst",
        "RemoveAll",
        "RemoveUncommon",
        "RemovePosition",
    }
)

COMPARISON_OPERATORS = frozenset(
    {
        "None",
        "EqualTo",
        "NotEqualTo",
        "GreaterThan",
        "LessThan",
        "GreaterThanOrEqualTo",
        "LessThanOrEqualTo",
        "StartsWith",
        "EndsWith",
        "Contains",
        "IsNull",
        "IsChanged",
        "WasSet",
        "WasSelected",
        "WasVisited",
        "In",
        "NotIn",
        "IsBlank",
        "IsEmpty",
        "HasError",
    }
)

#: Comparison operators whose left side names an element rather than a value.
ELEMENT_OPERATORS = frozenset({"HasError", "WasVisited"})

RECORD_FILTER_OPERATORS = frozenset(
    {
        "EqualTo",
        "NotEqualTo",
        "GreaterThan",
        "LessThan",
        "GreaterThanOrEqualTo",
        "LessThanOrEqualTo",
        "StartsWith",
        "EndsWith",
        "Contains",
        "IsNull",
        "IsChanged",
        "In",
        "NotIn",
        "IsBlank",
    }
)

COLLECTION_PROCESSOR_TYPES = frozenset(
    {
        "SortCollectionProcessor",
        "FilterCollectionProcessor",
        "RecommendationMapCollectionProcessor",
    }
)

NUMERIC_TYPES = frozenset({"Number", "Currency"})
TEXT_TYPES = frozenset({"String", "Picklist", "Multipicklist"})
