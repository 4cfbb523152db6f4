"""Who may open which page: every URL pattern of the platform is declared here.

tests/test_permission_matrix.py walks every URL pattern and fails when one is missing from
MATRIX (or from DELEGATED, with a reason), then requests each page as each audience and
compares the status with the expectation.

Audiences (see the `audiences` fixture): admin, data_steward and leader hold their role at
the city (the root); hr_officer and council_member at dept_a; plan_coordinator at dept_b;
intellectual has an account and no role; anonymous is not signed in. Objects in URLs lie
in dept_a's subtree, so the plan coordinator of dept_b must get 404 for them.
"""

OK = 200
LOGIN = "login"  # redirect to the sign-in page
DENY = 403
NOT_FOUND = 404
API_DENY = "api_deny"  # 401 or 403 for an unauthenticated API call
POST_ONLY = 405  # a form action opened with GET by someone allowed to post to it

AUDIENCES = [
    "admin",
    "data_steward",
    "hr_officer",
    "plan_coordinator",
    "leader",
    "council_member",
    "intellectual",
    "anonymous",
]


def row(default, anonymous=LOGIN, **overrides):
    """Expectation per audience: `default` for every signed-in audience, then overrides."""
    result = dict.fromkeys(AUDIENCES, default)
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


ROLE_HOLDERS = {a: OK for a in AUDIENCES if a not in {"intellectual", "anonymous"}}
ADMIN_ONLY = row(DENY, admin=OK)
STEWARD_WRITE = row(DENY, admin=OK, data_steward=OK)
# The registry: HR officers (dept_a), data stewards and leaders (city) read; HR officers and
# stewards write; stewards delete and revert. The person lies in unit_a1 (dept_a's subtree).
REGISTRY_READ = row(DENY, admin=OK, data_steward=OK, hr_officer=OK, leader=OK)
REGISTRY_WRITE = row(DENY, admin=OK, data_steward=OK, hr_officer=OK)
# The registry API: the same audiences as the pages; an unauthenticated call gets 401/403.
REGISTRY_API_READ = {**REGISTRY_READ, "anonymous": API_DENY}
REGISTRY_API_SENSITIVE = {**REGISTRY_WRITE, "anonymous": API_DENY}
TAXONOMY_API_READ = row(DENY, anonymous=API_DENY, **ROLE_HOLDERS)

# url name -> (kwargs from the fixture objects, expectations)
MATRIX = {
    "home": ({}, row(OK)),
    "core:job_list": ({}, row(OK)),
    # A job is seen by the person who started it (the HR officer) only.
    "core:job_detail": ({"pk": "job"}, row(NOT_FOUND, hr_officer=OK)),
    "core:audit_list": ({}, ADMIN_ONLY),
    "organizations:organization_list": ({}, row(DENY, **ROLE_HOLDERS)),
    "organizations:organization_add": ({}, STEWARD_WRITE),
    "organizations:organization_export": ({}, row(DENY, **ROLE_HOLDERS)),
    "organizations:organization_import": ({}, STEWARD_WRITE),
    # Suggestions of administrative units (public reference data) for staff forms.
    "organizations:administrative_unit_suggestions": ({}, row(DENY, **ROLE_HOLDERS)),
    "organizations:organization_suggestions": ({}, row(DENY, **ROLE_HOLDERS)),
    "organizations:organization_import_template": ({}, STEWARD_WRITE),
    # An upload is confirmed only by the data steward who uploaded it.
    "organizations:organization_import_commit": (
        {"upload_id": "upload"},
        row(DENY, admin=NOT_FOUND, data_steward=OK),
    ),
    "organizations:organization_detail": (
        {"pk": "org"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    "organizations:organization_history": (
        {"pk": "org"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    "organizations:organization_edit": ({"pk": "org"}, STEWARD_WRITE),
    "organizations:organization_delete": ({"pk": "org"}, STEWARD_WRITE),
    "registry:person_list": ({}, REGISTRY_READ),
    "registry:person_export": ({}, REGISTRY_READ),
    "registry:person_add": ({}, REGISTRY_WRITE),
    "registry:person_detail": ({"pk": "person"}, REGISTRY_READ),
    "registry:person_history": ({"pk": "person"}, REGISTRY_READ),
    "registry:person_photo": ({"pk": "person"}, REGISTRY_READ),
    "registry:person_edit": ({"pk": "person"}, REGISTRY_WRITE),
    "registry:person_section_edit": ({"pk": "person", "section": "section"}, REGISTRY_WRITE),
    # Citizen ID, ethnicity, religion: HR officers and stewards, not leaders.
    "registry:person_sensitive": ({"pk": "person"}, REGISTRY_WRITE),
    "registry:person_revert": (
        {"pk": "person", "history_id": "person_version"},
        row(DENY, admin=POST_ONLY, data_steward=POST_ONLY, hr_officer=POST_ONLY, leader=POST_ONLY),
    ),
    "registry:person_record_revert": (
        {"pk": "person", "section": "section", "history_id": "person_version"},
        row(DENY, admin=POST_ONLY, data_steward=POST_ONLY, hr_officer=POST_ONLY, leader=POST_ONLY),
    ),
    "registry:person_delete": ({"pk": "person"}, STEWARD_WRITE),
    # Duplicates: data stewards (the registry's delete role) decide about pairs whose two
    # people both lie in their scope (tests/linkage); a search covers the whole city.
    "linkage:queue": ({}, STEWARD_WRITE),
    "linkage:run": ({}, row(DENY, admin=POST_ONLY, data_steward=POST_ONLY)),
    "linkage:pair_detail": ({"pk": "pair"}, STEWARD_WRITE),
    "linkage:pair_merge": ({"pk": "pair"}, row(DENY, admin=POST_ONLY, data_steward=POST_ONLY)),
    "linkage:pair_not_same": (
        {"pk": "pair"},
        row(DENY, admin=POST_ONLY, data_steward=POST_ONLY),
    ),
    "linkage:merge_list": ({}, STEWARD_WRITE),
    "linkage:merge_detail": ({"pk": "merge"}, STEWARD_WRITE),
    "linkage:merge_undo": ({"pk": "merge"}, row(DENY, admin=POST_ONLY, data_steward=POST_ONLY)),
    # Importing people from a file: the registry's writers (trithuc/intake; the batch lies at
    # dept_a, uploaded by the HR officer). Commit and marking are form actions (POST); the
    # marked copy does not exist until built (404). The export in the template's layout is
    # read like the registry's own export.
    "intake:batch_list": ({}, REGISTRY_WRITE),
    "intake:upload": ({}, REGISTRY_WRITE),
    "intake:template": ({}, REGISTRY_WRITE),
    "intake:export": ({}, REGISTRY_READ),
    "intake:batch_detail": ({"pk": "import_batch"}, REGISTRY_WRITE),
    "intake:batch_mapping": ({"pk": "import_batch"}, REGISTRY_WRITE),
    "intake:batch_commit": (
        {"pk": "import_batch"},
        row(DENY, admin=POST_ONLY, data_steward=POST_ONLY, hr_officer=POST_ONLY),
    ),
    "intake:batch_annotate": (
        {"pk": "import_batch"},
        row(DENY, admin=POST_ONLY, data_steward=POST_ONLY, hr_officer=POST_ONLY),
    ),
    "intake:batch_annotated": (
        {"pk": "import_batch"},
        row(DENY, admin=NOT_FOUND, data_steward=NOT_FOUND, hr_officer=NOT_FOUND),
    ),
    # Reference lists: every staff role reads them; the city's administrator corrects them.
    "registry:taxonomy_list": ({"kind": "taxonomy"}, row(DENY, **ROLE_HOLDERS)),
    "registry:taxonomy_history": (
        {"kind": "taxonomy", "pk": "field"},
        row(DENY, **ROLE_HOLDERS),
    ),
    "registry:taxonomy_add": ({"kind": "taxonomy"}, ADMIN_ONLY),
    "registry:taxonomy_edit": ({"kind": "taxonomy", "pk": "field"}, ADMIN_ONLY),
    # Plans: every staff role reads the plans of its subtree; the plan lies at dept_a.
    "plans:document_list": ({}, row(DENY, **ROLE_HOLDERS)),
    "plans:task_list": ({}, row(DENY, **ROLE_HOLDERS)),
    "plans:task_detail": (
        {"pk": "plan_task"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    # The lead agency's plan coordinators report (here unit_a1: none but the administrator,
    # whose role covers every role); others who see the task may not.
    "plans:task_report": (
        {"pk": "plan_task"},
        row(DENY, admin=OK, plan_coordinator=NOT_FOUND),
    ),
    # An evidence file is read by whoever may see its report (the report lies at unit_a1).
    "plans:report_evidence": (
        {"pk": "plan_evidence"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    # Plan coordinators (dept_b) and administrators create plans, by hand or from a file;
    # only the uploader reviews an upload (here the plan coordinator's).
    "plans:document_add": ({}, row(DENY, admin=OK, plan_coordinator=OK)),
    "plans:import": ({}, row(DENY, admin=OK, plan_coordinator=OK)),
    "plans:import_review": (
        {"upload_id": "plan_upload"},
        row(DENY, admin=NOT_FOUND, plan_coordinator=OK),
    ),
    # Editing a plan and its tasks: the monitoring agency's coordinators (the plan lies at
    # unit_a1, outside dept_b) and administrators.
    "plans:document_edit": ({"pk": "plan"}, row(DENY, admin=OK, plan_coordinator=NOT_FOUND)),
    "plans:task_add": ({"document_pk": "plan"}, row(DENY, admin=OK, plan_coordinator=NOT_FOUND)),
    "plans:task_edit": ({"pk": "plan_task"}, row(DENY, admin=OK, plan_coordinator=NOT_FOUND)),
    "plans:task_cancel": (
        {"pk": "plan_task"},
        row(DENY, admin=POST_ONLY, plan_coordinator=POST_ONLY),
    ),
    "plans:task_restore": (
        {"pk": "plan_task"},
        row(DENY, admin=POST_ONLY, plan_coordinator=POST_ONLY),
    ),
    "plans:task_confirm": (
        {"pk": "plan_task"},
        row(DENY, admin=POST_ONLY, plan_coordinator=POST_ONLY),
    ),
    "plans:report_review": (
        {"pk": "plan_report"},
        row(DENY, **dict.fromkeys(ROLE_HOLDERS, POST_ONLY)),
    ),
    "plans:document_detail": (
        {"pk": "plan"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    "plans:document_timeline": (
        {"pk": "plan"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    # The yearly review (.docx): whoever sees the plan (tests/plans/test_review.py).
    "plans:document_review": (
        {"pk": "plan"},
        row(DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    # The progress the city publishes: open to everyone, without signing in (a document not
    # published is 404 for all: tests/plans/test_public.py).
    "plans:public_list": ({}, row(OK, anonymous=OK)),
    "plans:public_detail": ({"pk": "public_plan"}, row(OK, anonymous=OK)),
    # The public statistics: everyone, without signing in; cells of 1–4 people suppressed
    # (tests/insights/test_public.py).
    "insights:public": ({}, row(OK, anonymous=OK)),
    # Notifications: each signed-in user reads and marks their own (the list shows only
    # theirs; marking is a POST, and another's notification is 404: tests/notifications).
    "notifications:notification_list": ({}, row(OK)),
    "notifications:notification_read": ({"pk": "notification"}, row(POST_ONLY)),
    "notifications:notification_read_all": ({}, row(POST_ONLY)),
    # Insights: the registry's readers see the figures of their scope.
    "insights:dashboard": ({}, REGISTRY_READ),
    "insights:dashboard_trends": ({}, REGISTRY_READ),
    "insights:crosstab": ({}, REGISTRY_READ),
    # The yearly report (the form; ?format= downloads it): the dashboard's audiences.
    "insights:report": ({}, REGISTRY_READ),
    # KPI indicators: read by the registry's readers and plan coordinators in their subtree
    # (the indicator lies at unit_a1, outside dept_b); data stewards write them.
    "insights:indicator_list": ({}, row(DENY, **{**ROLE_HOLDERS, "council_member": DENY})),
    "insights:indicator_detail": (
        {"pk": "indicator"},
        row(DENY, admin=OK, data_steward=OK, hr_officer=OK, leader=OK, plan_coordinator=NOT_FOUND),
    ),
    "insights:indicator_add": ({}, STEWARD_WRITE),
    "insights:indicator_edit": ({"pk": "indicator"}, STEWARD_WRITE),
    "insights:indicator_preview": ({}, STEWARD_WRITE),
    # Projection scenarios: read like indicators (the scenario lies at unit_a1, outside the
    # plan coordinator's dept_b); data stewards add and change them. The compare page without
    # a choice shows the picker.
    "insights:scenario_list": ({}, row(DENY, **{**ROLE_HOLDERS, "council_member": DENY})),
    "insights:scenario_compare": ({}, row(DENY, **{**ROLE_HOLDERS, "council_member": DENY})),
    "insights:scenario_detail": (
        {"pk": "scenario"},
        row(DENY, admin=OK, data_steward=OK, hr_officer=OK, leader=OK, plan_coordinator=NOT_FOUND),
    ),
    "insights:scenario_export": (
        {"pk": "scenario"},
        row(DENY, admin=OK, data_steward=OK, hr_officer=OK, leader=OK, plan_coordinator=NOT_FOUND),
    ),
    "insights:scenario_add": ({}, STEWARD_WRITE),
    "insights:scenario_edit": ({"pk": "scenario"}, STEWARD_WRITE),
    "accounts:membership_list": ({}, ADMIN_ONLY),
    "accounts:membership_add": ({}, ADMIN_ONLY),
    "accounts:membership_delete": ({"pk": "membership"}, ADMIN_ONLY),
    # Each signed-in user manages their own API token.
    "accounts:api_token": ({}, row(OK)),
    "accounts:user_list": ({}, ADMIN_ONLY),
    "accounts:user_detail": ({"pk": "user"}, ADMIN_ONLY),
    "accounts:user_add": ({}, ADMIN_ONLY),
    "accounts:user_edit": ({"pk": "user"}, ADMIN_ONLY),
    "accounts:user_reset_password": ({"pk": "user"}, ADMIN_ONLY),
    "accounts:user_reset_mfa": ({"pk": "user"}, ADMIN_ONLY),
    "api:api-root": ({}, row(OK, anonymous=API_DENY)),
    # Everyone gets figures: staff of their scope, others the public, suppressed ones.
    "api:insights-summary": ({}, row(OK, anonymous=OK)),
    "api:insights-crosstab": ({}, REGISTRY_API_READ),
    # The projection of a scenario the caller may see; without ?scenario= the readers get
    # 400 with what to send (tests/insights/test_projection_pages.py checks the scope).
    "api:insights-projection": (
        {},
        row(
            DENY, anonymous=API_DENY, **{**dict.fromkeys(ROLE_HOLDERS, 400), "council_member": DENY}
        ),
    ),
    "api:indicator-list": (
        {},
        row(DENY, anonymous=API_DENY, **{**ROLE_HOLDERS, "council_member": DENY}),
    ),
    "api:indicator-detail": (
        {"pk": "indicator"},
        row(
            DENY,
            anonymous=API_DENY,
            admin=OK,
            data_steward=OK,
            hr_officer=OK,
            leader=OK,
            plan_coordinator=NOT_FOUND,
        ),
    ),
    "api:organization-list": ({}, row(DENY, anonymous=API_DENY, **ROLE_HOLDERS)),
    "api:organization-detail": (
        {"pk": "org"},
        row(DENY, anonymous=API_DENY, **{**ROLE_HOLDERS, "plan_coordinator": NOT_FOUND}),
    ),
    "api:administrative-unit-list": ({}, row(DENY, anonymous=API_DENY, **ROLE_HOLDERS)),
    "api:administrative-unit-detail": (
        {"pk": "unit"},
        row(DENY, anonymous=API_DENY, **ROLE_HOLDERS),
    ),
    "api:person-list": ({}, REGISTRY_API_READ),
    "api:person-detail": ({"pk": "person"}, REGISTRY_API_READ),
    # Citizen ID, ethnicity, religion in clear: not for leaders; each read is audited.
    "api:person-sensitive": ({"pk": "person"}, REGISTRY_API_SENSITIVE),
    "api:academic-title-list": ({}, REGISTRY_API_READ),
    "api:academic-title-detail": ({"pk": "academic_title"}, REGISTRY_API_READ),
    "api:degree-list": ({}, REGISTRY_API_READ),
    "api:degree-detail": ({"pk": "degree"}, REGISTRY_API_READ),
    "api:position-list": ({}, REGISTRY_API_READ),
    "api:position-detail": ({"pk": "position"}, REGISTRY_API_READ),
    "api:expertise-list": ({}, REGISTRY_API_READ),
    "api:expertise-detail": ({"pk": "expertise"}, REGISTRY_API_READ),
    "api:language-list": ({}, REGISTRY_API_READ),
    "api:language-detail": ({"pk": "language"}, REGISTRY_API_READ),
    "api:training-list": ({}, REGISTRY_API_READ),
    "api:training-detail": ({"pk": "training"}, REGISTRY_API_READ),
    "api:publication-list": ({}, REGISTRY_API_READ),
    "api:publication-detail": ({"pk": "publication"}, REGISTRY_API_READ),
    "api:patent-list": ({}, REGISTRY_API_READ),
    "api:patent-detail": ({"pk": "patent"}, REGISTRY_API_READ),
    "api:project-list": ({}, REGISTRY_API_READ),
    "api:project-detail": ({"pk": "project"}, REGISTRY_API_READ),
    "api:award-list": ({}, REGISTRY_API_READ),
    "api:award-detail": ({"pk": "award"}, REGISTRY_API_READ),
    "api:work-list": ({}, REGISTRY_API_READ),
    "api:work-detail": ({"pk": "work"}, REGISTRY_API_READ),
    "api:association-membership-list": ({}, REGISTRY_API_READ),
    "api:association-membership-detail": ({"pk": "association_membership"}, REGISTRY_API_READ),
    "api:consent-list": ({}, REGISTRY_API_READ),
    "api:consent-detail": ({"pk": "consent"}, REGISTRY_API_READ),
    # Reference lists: every staff role reads them; none is written through the API.
    "api:field-of-science-list": ({}, TAXONOMY_API_READ),
    "api:field-of-science-detail": ({"pk": "field"}, TAXONOMY_API_READ),
    "api:degree-level-list": ({}, TAXONOMY_API_READ),
    "api:degree-level-detail": ({"pk": "degree_level"}, TAXONOMY_API_READ),
    "api:ethnic-group-list": ({}, TAXONOMY_API_READ),
    "api:ethnic-group-detail": ({"pk": "ethnic_group"}, TAXONOMY_API_READ),
    "api:professorship-council-list": ({}, TAXONOMY_API_READ),
    "api:professorship-council-detail": ({"pk": "council"}, TAXONOMY_API_READ),
    # Each user polls their own jobs; others' are 404.
    "api:job-list": ({}, row(OK, anonymous=API_DENY)),
    "api:job-detail": ({"pk": "job"}, row(NOT_FOUND, anonymous=API_DENY, hr_officer=OK)),
    # The API description is public: it names endpoints, never data.
    "api_schema": ({}, row(OK, anonymous=OK)),
    "api_docs": ({}, row(OK, anonymous=OK)),
}

# URL patterns whose access rules belong to a third-party package, with the reason.
DELEGATED = {
    "allauth.": "sign-in, sign-out, password and MFA pages of django-allauth: entry pages are "
    "public, account pages need a signed-in user; sign-up is closed by AccountAdapter "
    "(tests/accounts/test_auth.py)",
    "django.views.i18n": "the language switch, open to everyone",
}
