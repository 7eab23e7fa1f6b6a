package http

import (
	gohttp "net/http"
	"slices"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// Auth says what a route asks of the caller's credentials.
type Auth string

// The authentication levels of routes.
const (
	// AuthNone routes never look at credentials: static files, health,
	// metrics, the OpenAPI document.
	AuthNone Auth = "none"
	// AuthOptional routes resolve a session if there is one but serve
	// anonymous callers too: the login page, the language switch.
	AuthOptional Auth = "optional"
	// AuthRequired routes need a logged-in user: a session cookie for the
	// UI, a session cookie or a bearer token for the API.
	AuthRequired Auth = "required"
)

// Route describes one registered route. The route table is the one list of
// everything the server answers; tests walk it.
type Route struct {
	Method  string                 // GET, POST, PATCH, DELETE
	Pattern string                 // ServeMux path pattern, e.g. /companies/{id}
	Name    string                 // stable name for logs and metrics, e.g. "company.show"
	API     bool                   // JSON API (errors as JSON, bearer tokens accepted)
	Auth    Auth                   // what the route asks of credentials
	Perm    nakamawashi.Permission // the permission the route is about, if one; the store enforces it
	Summary string                 // one line in English; the OpenAPI document repeats it
	// Upload routes take multipart/form-data bodies (photos, drawings),
	// up to MaxBody bytes; no other route reads multipart bodies.
	Upload bool
	// MaxBody is an Upload route's body limit; 0 means the server's limit
	// for posts with photos (Server.MaxUploadBytes).
	MaxBody int64

	// tooLargeErr, if set, is what a body over MaxBody is told, in place
	// of the generic message; tooLarge, if set, answers it on a page: the
	// route's form again, with that message, as 413.
	tooLargeErr func() error
	tooLarge    func(gohttp.ResponseWriter, *gohttp.Request, error)

	handler gohttp.HandlerFunc
}

// Routes returns a copy of the route table.
func (s *Server) Routes() []Route {
	return slices.Clone(s.routes)
}

// routeTable builds the route table: every route of the server, in one place.
func (s *Server) routeTable() []Route {
	type r = Route
	const (
		none = AuthNone
		opt  = AuthOptional
		req  = AuthRequired
	)
	return []Route{
		// Operations.
		{Method: "GET", Pattern: "/healthz", Name: "healthz", Auth: none, Summary: "Health check", handler: s.handleHealth},
		{Method: "GET", Pattern: "/metrics", Name: "metrics", Auth: none, Summary: "Prometheus metrics", handler: s.handleMetrics},
		{Method: "GET", Pattern: "/static/", Name: "static", Auth: none, Summary: "Embedded static assets", handler: s.handleStatic},

		// Session.
		{Method: "GET", Pattern: "/login", Name: "login.form", Auth: opt, Summary: "Login form", handler: s.handleLoginForm},
		{Method: "POST", Pattern: "/login", Name: "login", Auth: opt, Summary: "Log in", handler: s.handleLogin},
		{Method: "POST", Pattern: "/logout", Name: "logout", Auth: req, Summary: "Log out", handler: s.handleLogout},
		{Method: "POST", Pattern: "/lang", Name: "lang", Auth: opt, Summary: "Switch the UI language", handler: s.handleLanguage},
		{Method: "POST", Pattern: "/session/company", Name: "session.company", Auth: req, Summary: "Act for another company of the user", handler: s.handleSwitchCompany},

		// UI pages.
		{Method: "GET", Pattern: "/{$}", Name: "dashboard", Auth: req, Summary: "Dashboard", handler: s.handleDashboard},
		{Method: "GET", Pattern: "/companies", Name: "company.list", Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "Company directory", handler: s.handleCompanyList},
		{Method: "GET", Pattern: "/companies/new", Name: "company.new", Auth: req, Perm: nakamawashi.PermCompanyCreate, Summary: "New company form", handler: s.handleCompanyNew},
		{Method: "POST", Pattern: "/companies/new", Name: "company.create", Auth: req, Perm: nakamawashi.PermCompanyCreate, Summary: "Create a company", handler: s.handleCompanyCreate},
		{Method: "GET", Pattern: "/companies/{id}", Name: "company.show", Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "Company profile", handler: s.handleCompanyShow},
		{Method: "GET", Pattern: "/companies/{id}/edit", Name: "company.edit", Auth: req, Perm: nakamawashi.PermCompanyUpdate, Summary: "Edit company form", handler: s.handleCompanyEdit},
		{Method: "POST", Pattern: "/companies/{id}/edit", Name: "company.update", Auth: req, Perm: nakamawashi.PermCompanyUpdate, Summary: "Update a company", handler: s.handleCompanyUpdate},
		{Method: "GET", Pattern: "/companies/{id}/members", Name: "member.list", Auth: req, Perm: nakamawashi.PermMembersRead, Summary: "Members of a company", handler: s.handleMemberList},
		{Method: "POST", Pattern: "/companies/{id}/members", Name: "member.create", Auth: req, Perm: nakamawashi.PermMembersManage, Summary: "Add a new user to a company", handler: s.handleMemberCreate},
		{Method: "POST", Pattern: "/companies/{id}/members/{mid}/delete", Name: "member.delete", Auth: req, Perm: nakamawashi.PermMembersManage, Summary: "Remove a membership", handler: s.handleMemberDelete},
		{Method: "GET", Pattern: "/companies/{id}/profile", Name: "profile.edit", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Edit profile form", handler: s.handleProfileEdit},
		{Method: "POST", Pattern: "/companies/{id}/profile", Name: "profile.update", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Update a profile", handler: s.handleProfileUpdate},
		{Method: "GET", Pattern: "/companies/{id}/machines/new", Name: "machine.new", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "New machine form", handler: s.handleMachineNew},
		{Method: "POST", Pattern: "/companies/{id}/machines/new", Name: "machine.create", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Add a machine", handler: s.handleMachineSave},
		{Method: "GET", Pattern: "/companies/{id}/machines/{mid}/edit", Name: "machine.edit", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Edit machine form", handler: s.handleMachineEdit},
		{Method: "POST", Pattern: "/companies/{id}/machines/{mid}/edit", Name: "machine.update", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Update a machine", handler: s.handleMachineSave},
		{Method: "POST", Pattern: "/companies/{id}/machines/{mid}/delete", Name: "machine.delete", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Delete a machine", handler: s.handleMachineDelete},
		{Method: "GET", Pattern: "/companies/{id}/posts/new", Name: "post.new", Auth: req, Perm: nakamawashi.PermPostWrite, Summary: "New post form", handler: s.handlePostNew},
		{Method: "POST", Pattern: "/companies/{id}/posts/new", Name: "post.create", Auth: req, Perm: nakamawashi.PermPostWrite, Upload: true, Summary: "Write a post with photos", handler: s.handlePostCreate},
		{Method: "POST", Pattern: "/companies/{id}/posts/{pid}/delete", Name: "post.delete", Auth: req, Perm: nakamawashi.PermPostWrite, Summary: "Delete a post", handler: s.handlePostDelete},
		{Method: "GET", Pattern: "/photos/{id}", Name: "photo.show", Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "A post's photo", handler: s.handlePhoto},
		{Method: "GET", Pattern: "/match", Name: "match.page", Auth: req, Perm: nakamawashi.PermMatch, Summary: "Chain matching", handler: s.handleMatch},
		{Method: "GET", Pattern: "/users", Name: "user.list", Auth: req, Perm: nakamawashi.PermUsersAll, Summary: "All users", handler: s.handleUserList},
		{Method: "GET", Pattern: "/account", Name: "account", Auth: req, Summary: "Own account", handler: s.handleAccount},
		{Method: "POST", Pattern: "/account", Name: "account.update", Auth: req, Summary: "Update own name and language", handler: s.handleAccountUpdate},
		{Method: "POST", Pattern: "/account/password", Name: "account.password", Auth: req, Summary: "Change own password", handler: s.handleAccountPassword},
		{Method: "POST", Pattern: "/account/tokens", Name: "account.token.create", Auth: req, Summary: "Create an API token", handler: s.handleAccountTokenCreate},
		{Method: "POST", Pattern: "/account/tokens/{id}/delete", Name: "account.token.delete", Auth: req, Summary: "Revoke an API token", handler: s.handleAccountTokenDelete},
		{Method: "GET", Pattern: "/audit", Name: "audit.list", Auth: req, Perm: nakamawashi.PermAuditRead, Summary: "Audit log", handler: s.handleAuditList},
		{Method: "GET", Pattern: "/audit/verify", Name: "audit.verify", Auth: req, Perm: nakamawashi.PermAuditRead, Summary: "Verify the audit chain", handler: s.handleAuditVerify},

		// Order flow pages.
		{Method: "GET", Pattern: "/inquiries", Name: "inquiry.list", Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Inquiries", handler: s.handleInquiryList},
		{Method: "GET", Pattern: "/inquiries/new", Name: "inquiry.new", Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "New inquiry form", handler: s.handleInquiryNew},
		{Method: "POST", Pattern: "/inquiries/new", Name: "inquiry.create", Auth: req, Perm: nakamawashi.PermInquirySubmit, Upload: true, MaxBody: maxInquiryUpload, tooLargeErr: drawingTooLarge, tooLarge: s.inquiryUploadTooLarge, Summary: "Submit an inquiry with drawings", handler: s.handleInquiryCreate},
		{Method: "GET", Pattern: "/inquiries/{id}", Name: "inquiry.show", Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "An inquiry: quotes for the customer, the workspace for a coordinator", handler: s.handleInquiryShow},
		{Method: "POST", Pattern: "/inquiries/{id}/cancel", Name: "inquiry.cancel", Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Withdraw an inquiry", handler: s.handleInquiryCancel},
		{Method: "POST", Pattern: "/inquiries/{id}/parts/{pid}/drawings", Name: "drawing.upload", Auth: req, Perm: nakamawashi.PermInquirySubmit, Upload: true, MaxBody: maxDrawingUpload, tooLargeErr: drawingTooLarge, tooLarge: s.drawingUploadTooLarge, Summary: "Add a drawing or a new version of one", handler: s.handleDrawingUpload},
		{Method: "POST", Pattern: "/inquiries/{id}/parts/{pid}/routing", Name: "routing.save", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Set a part's routing", handler: s.handleRoutingSave},
		{Method: "GET", Pattern: "/inquiries/{id}/parts/{pid}/chains", Name: "part.chains", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Suggested chains for a part", handler: s.handlePartChains},
		{Method: "POST", Pattern: "/inquiries/{id}/parts/{pid}/requests", Name: "requests.send", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Send step requests to shops", handler: s.handleRequestsSend},
		{Method: "POST", Pattern: "/inquiries/{id}/quotes", Name: "quote.draft", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Draft a quote", handler: s.handleQuoteDraft},
		{Method: "POST", Pattern: "/quotes/{id}/send", Name: "quote.send", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Send a quote to the customer", handler: s.handleQuoteSend},
		{Method: "POST", Pattern: "/quotes/{id}/accept", Name: "quote.accept", Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Accept a quote (order)", handler: s.handleQuoteDecide(true)},
		{Method: "POST", Pattern: "/quotes/{id}/reject", Name: "quote.reject", Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Reject a quote", handler: s.handleQuoteDecide(false)},
		{Method: "GET", Pattern: "/requests", Name: "request.list", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Step requests addressed to the shop", handler: s.handleRequestList},
		{Method: "GET", Pattern: "/requests/{id}", Name: "request.show", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "A step request with its answer form", handler: s.handleRequestShow},
		{Method: "POST", Pattern: "/requests/{id}/answer", Name: "request.answer", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Answer or decline a step request", handler: s.handleRequestAnswer},
		{Method: "POST", Pattern: "/requests/{id}/choose", Name: "request.choose", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Choose an answer for its step", handler: s.handleRequestAction(true)},
		{Method: "POST", Pattern: "/requests/{id}/withdraw", Name: "request.withdraw", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Withdraw a step request", handler: s.handleRequestAction(false)},
		{Method: "GET", Pattern: "/work-orders", Name: "workorder.list", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Work orders", handler: s.handleWorkOrderList},
		{Method: "POST", Pattern: "/work-orders/{id}/accept", Name: "workorder.accept", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Accept a work order", handler: s.handleWorkOrderAccept},
		{Method: "GET", Pattern: "/orders", Name: "order.list", Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Orders and where their lots are", handler: s.handleOrderList},
		{Method: "GET", Pattern: "/orders/{id}", Name: "order.show", Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "An order: lots, deliveries, invoices", handler: s.handleOrderShow},
		{Method: "POST", Pattern: "/orders/{id}/deliveries", Name: "delivery.create", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Deliver completed lots", handler: s.handleDeliveryCreate},
		{Method: "POST", Pattern: "/deliveries/{id}/accept", Name: "delivery.accept", Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Record the customer's acceptance", handler: s.handleDeliveryAccept},
		{Method: "GET", Pattern: "/invoices", Name: "invoice.list", Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Invoices", handler: s.handleInvoiceList},
		{Method: "POST", Pattern: "/invoices", Name: "invoice.create", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Issue an invoice for orders or a period", handler: s.handleInvoiceCreate},
		{Method: "POST", Pattern: "/invoices/{id}/payment", Name: "invoice.payment", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Record a customer's payment of an invoice", handler: s.handleInvoicePayment},
		{Method: "GET", Pattern: "/payables", Name: "payable.list", Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "What the office owes its shops (a shop's owner: its own)", handler: s.handlePayables},
		{Method: "GET", Pattern: "/records", Name: "record.list", Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "Records search", handler: s.handleRecords},
		{Method: "POST", Pattern: "/records/{id}/correct", Name: "record.correct", Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Correct a record (a new version)", handler: s.handleRecordCorrect},
		{Method: "GET", Pattern: "/t/{code}", Name: "traveler", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "A lot's traveler page", handler: s.handleTraveler},
		{Method: "POST", Pattern: "/t/{code}", Name: "traveler.scan", Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Press a button of the traveler page", handler: s.handleTravelerScan},
		{Method: "GET", Pattern: "/pdf/{kind}/{id}", Name: "pdf", Auth: req, Summary: "The PDF of a record's issued document", handler: s.handlePDF},
		{Method: "GET", Pattern: "/notifications", Name: "notification.list", Auth: req, Summary: "Notifications", handler: s.handleNotifications},
		{Method: "POST", Pattern: "/notifications/read", Name: "notification.read", Auth: req, Summary: "Mark notifications read", handler: s.handleNotificationsRead},
		{Method: "GET", Pattern: "/notifications/badge", Name: "notification.badge", Auth: req, Summary: "Unread count for the menu (htmx)", handler: s.handleNotificationBadge},
		{Method: "GET", Pattern: "/flow/waiting", Name: "flow.waiting", Auth: req, Summary: "What waits on the user (htmx)", handler: s.handleWaiting},

		// IoT pages and API.
		{Method: "GET", Pattern: "/companies/{id}/devices", Name: "device.list", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "A company's devices, the form to register one and what it shares", handler: s.handleDeviceList},
		{Method: "POST", Pattern: "/companies/{id}/devices", Name: "device.create", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Register a device (its secret shown once)", handler: s.handleDeviceCreate},
		{Method: "POST", Pattern: "/companies/{id}/devices/{did}/rotate", Name: "device.rotate", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Issue a device a new secret", handler: s.handleDeviceSecret(false)},
		{Method: "POST", Pattern: "/companies/{id}/devices/{did}/enable", Name: "device.enable", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Enable a disabled device with a new secret", handler: s.handleDeviceSecret(true)},
		{Method: "POST", Pattern: "/companies/{id}/devices/{did}/disable", Name: "device.disable", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Disable a device", handler: s.handleDeviceAction(nakamawashi.Store.DisableDevice, "disabled")},
		{Method: "POST", Pattern: "/companies/{id}/devices/{did}/delete", Name: "device.delete", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Delete a device", handler: s.handleDeviceAction(nakamawashi.Store.DeleteDevice, "deleted")},
		{Method: "POST", Pattern: "/companies/{id}/devices/{did}/mtconnect", Name: "device.mtconnect", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Set where the server reads a device of kind mtconnect (checked against the allow-list)", handler: s.handleMTConnectSet},
		{Method: "POST", Pattern: "/companies/{id}/sharing", Name: "sharing.update", Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Choose what the company shows others of its machines", handler: s.handleSharingUpdate},
		{Method: "GET", Pattern: "/companies/{id}/board", Name: "board.company", Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "A shop's machine board", handler: s.handleCompanyBoard},
		{Method: "GET", Pattern: "/companies/{id}/board/events", Name: "board.company.events", Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "A shop's machine board as Server-Sent Events", handler: s.handleCompanyBoardEvents},
		{Method: "GET", Pattern: "/board", Name: "board.network", Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "The network's machine board", handler: s.handleNetworkBoard},
		{Method: "GET", Pattern: "/board/events", Name: "board.network.events", Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "The network's machine board as Server-Sent Events", handler: s.handleNetworkBoardEvents},
		{Method: "GET", Pattern: "/machines/{mid}/day", Name: "machine.day", Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "A machine's day chart with the traveler scans", handler: s.handleMachineDay},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/devices", Name: "api.device.list", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "List a company's devices", handler: s.apiDeviceList},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/devices", Name: "api.device.create", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Register a device; the answer holds its secret, shown once", handler: s.apiDeviceCreate},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/devices/{did}/rotate-secret", Name: "api.device.rotate", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Issue a device a new secret", handler: s.apiDeviceSecret(false)},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/devices/{did}/enable", Name: "api.device.enable", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Enable a disabled device with a new secret", handler: s.apiDeviceSecret(true)},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/devices/{did}/disable", Name: "api.device.disable", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Disable a device", handler: s.apiDeviceDisable},
		{Method: "DELETE", Pattern: "/api/v1/companies/{id}/devices/{did}", Name: "api.device.delete", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Delete a device", handler: s.apiDeviceDelete},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/devices/{did}/mtconnect", Name: "api.device.mtconnect.get", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Where the server reads a device of kind mtconnect", handler: s.apiMTConnectGet},
		{Method: "PUT", Pattern: "/api/v1/companies/{id}/devices/{did}/mtconnect", Name: "api.device.mtconnect.set", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Set where the server reads a device of kind mtconnect (checked against the allow-list)", handler: s.apiMTConnectSet},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/telemetry-sharing", Name: "api.sharing.get", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "What a company shows others of its machines", handler: s.apiSharingGet},
		{Method: "PUT", Pattern: "/api/v1/companies/{id}/telemetry-sharing", Name: "api.sharing.set", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Choose what a company shows others of its machines", handler: s.apiSharingSet},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/board", Name: "api.board.company", API: true, Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "A shop's machines: current state and today's utilization as far as shared", handler: s.apiCompanyBoard},
		{Method: "GET", Pattern: "/api/v1/board", Name: "api.board.network", API: true, Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "The network's machines as far as shared, with counts by state, process and region", handler: s.apiNetworkBoard},
		{Method: "GET", Pattern: "/api/v1/machines/{mid}/day", Name: "api.machine.day", API: true, Auth: req, Perm: nakamawashi.PermTelemetryShared, Summary: "A machine's day: state intervals, planned hours, utilization, traveler scans", handler: s.apiMachineDay},

		// JSON API.
		{Method: "GET", Pattern: "/api/v1/openapi.json", Name: "api.openapi", API: true, Auth: none, Summary: "This OpenAPI document", handler: s.handleOpenAPI},
		{Method: "GET", Pattern: "/api/v1/me", Name: "api.me", API: true, Auth: req, Summary: "The caller", handler: s.apiMe},
		{Method: "GET", Pattern: "/api/v1/companies", Name: "api.company.list", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "List companies", handler: s.apiCompanyList},
		{Method: "POST", Pattern: "/api/v1/companies", Name: "api.company.create", API: true, Auth: req, Perm: nakamawashi.PermCompanyCreate, Summary: "Create a company", handler: s.apiCompanyCreate},
		{Method: "GET", Pattern: "/api/v1/companies/{id}", Name: "api.company.get", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "Get a company", handler: s.apiCompanyGet},
		{Method: "PATCH", Pattern: "/api/v1/companies/{id}", Name: "api.company.update", API: true, Auth: req, Perm: nakamawashi.PermCompanyUpdate, Summary: "Update a company", handler: s.apiCompanyUpdate},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/members", Name: "api.member.list", API: true, Auth: req, Perm: nakamawashi.PermMembersRead, Summary: "List a company's memberships", handler: s.apiMemberList},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/members", Name: "api.member.create", API: true, Auth: req, Perm: nakamawashi.PermMembersManage, Summary: "Add an existing user to a company (network office only)", handler: s.apiMemberCreate},
		{Method: "DELETE", Pattern: "/api/v1/memberships/{id}", Name: "api.member.delete", API: true, Auth: req, Perm: nakamawashi.PermMembersManage, Summary: "Remove a membership", handler: s.apiMemberDelete},
		{Method: "GET", Pattern: "/api/v1/vocabulary", Name: "api.vocabulary", API: true, Auth: req, Summary: "The process, material and certification lists", handler: s.apiVocabulary},
		{Method: "GET", Pattern: "/api/v1/search", Name: "api.search", API: true, Auth: req, Perm: nakamawashi.PermDirectoryRead, Summary: "Search the partner directory", handler: s.apiSearch},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/profile", Name: "api.profile.get", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "Get a company's profile", handler: s.apiProfileGet},
		{Method: "PUT", Pattern: "/api/v1/companies/{id}/profile", Name: "api.profile.update", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Replace a company's profile", handler: s.apiProfileUpdate},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/machines", Name: "api.machine.list", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "List a company's machines", handler: s.apiMachineList},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/machines", Name: "api.machine.create", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Add a machine", handler: s.apiMachineCreate},
		{Method: "PUT", Pattern: "/api/v1/companies/{id}/machines/{mid}", Name: "api.machine.update", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Replace a machine", handler: s.apiMachineUpdate},
		{Method: "DELETE", Pattern: "/api/v1/companies/{id}/machines/{mid}", Name: "api.machine.delete", API: true, Auth: req, Perm: nakamawashi.PermProfileEdit, Summary: "Delete a machine", handler: s.apiMachineDelete},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/posts", Name: "api.post.list", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "List a company's posts", handler: s.apiPostList},
		{Method: "POST", Pattern: "/api/v1/companies/{id}/posts", Name: "api.post.create", API: true, Auth: req, Perm: nakamawashi.PermPostWrite, Upload: true, Summary: "Write a post, with photos as multipart/form-data", handler: s.apiPostCreate},
		{Method: "DELETE", Pattern: "/api/v1/companies/{id}/posts/{pid}", Name: "api.post.delete", API: true, Auth: req, Perm: nakamawashi.PermPostWrite, Summary: "Delete a post", handler: s.apiPostDelete},
		{Method: "GET", Pattern: "/api/v1/photos/{id}", Name: "api.photo.get", API: true, Auth: req, Perm: nakamawashi.PermCompanyRead, Summary: "A post's photo", handler: s.handlePhoto},
		{Method: "POST", Pattern: "/api/v1/match", Name: "api.match", API: true, Auth: req, Perm: nakamawashi.PermMatch, Summary: "Find partner chains for a routing", handler: s.apiMatch},
		{Method: "GET", Pattern: "/api/v1/users", Name: "api.user.list", API: true, Auth: req, Summary: "List users", handler: s.apiUserList},
		{Method: "POST", Pattern: "/api/v1/users", Name: "api.user.create", API: true, Auth: req, Perm: nakamawashi.PermUserCreate, Summary: "Create a user", handler: s.apiUserCreate},
		{Method: "GET", Pattern: "/api/v1/users/{id}", Name: "api.user.get", API: true, Auth: req, Summary: "Get a user", handler: s.apiUserGet},
		{Method: "PATCH", Pattern: "/api/v1/users/{id}", Name: "api.user.update", API: true, Auth: req, Summary: "Update a user", handler: s.apiUserUpdate},
		{Method: "GET", Pattern: "/api/v1/tokens", Name: "api.token.list", API: true, Auth: req, Summary: "List the caller's API tokens", handler: s.apiTokenList},
		{Method: "POST", Pattern: "/api/v1/tokens", Name: "api.token.create", API: true, Auth: req, Summary: "Create an API token", handler: s.apiTokenCreate},
		{Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Name: "api.token.delete", API: true, Auth: req, Summary: "Revoke an API token", handler: s.apiTokenDelete},
		{Method: "GET", Pattern: "/api/v1/audit", Name: "api.audit.list", API: true, Auth: req, Perm: nakamawashi.PermAuditRead, Summary: "List audit events", handler: s.apiAuditList},
		{Method: "GET", Pattern: "/api/v1/audit/verify", Name: "api.audit.verify", API: true, Auth: req, Perm: nakamawashi.PermAuditRead, Summary: "Verify the audit chain", handler: s.apiAuditVerify},

		// Order flow API.
		{Method: "POST", Pattern: "/api/v1/inquiries", Name: "api.inquiry.create", API: true, Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Submit an inquiry with its parts", handler: s.apiInquiryCreate},
		{Method: "GET", Pattern: "/api/v1/inquiries", Name: "api.inquiry.list", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "List inquiries", handler: listFlow(s, nakamawashi.Store.FindInquiries)},
		{Method: "GET", Pattern: "/api/v1/inquiries/{id}", Name: "api.inquiry.get", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Get an inquiry with its parts, steps and drawings", handler: byID(s, nakamawashi.Store.FindInquiryByID)},
		{Method: "POST", Pattern: "/api/v1/inquiries/{id}/cancel", Name: "api.inquiry.cancel", API: true, Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Withdraw an inquiry", handler: reasonAction(s, "", nakamawashi.Store.CancelInquiry, nakamawashi.Store.FindInquiryByID)},
		{Method: "POST", Pattern: "/api/v1/parts/{id}/drawings", Name: "api.drawing.upload", API: true, Auth: req, Perm: nakamawashi.PermInquirySubmit, Upload: true, MaxBody: maxDrawingUpload, tooLargeErr: drawingTooLarge, Summary: "Upload a drawing of a part, or a new version of one", handler: s.apiDrawingUpload},
		{Method: "GET", Pattern: "/api/v1/drawings/{id}/content", Name: "api.drawing.content", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Download a drawing (every view is logged)", handler: s.apiDrawingContent},
		{Method: "GET", Pattern: "/api/v1/drawings/{id}/views", Name: "api.drawing.views", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Who viewed a drawing and when", handler: s.apiDrawingViews},
		{Method: "PUT", Pattern: "/api/v1/parts/{id}/routing", Name: "api.routing.set", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Replace a part's routing", handler: s.apiRoutingSet},
		{Method: "GET", Pattern: "/api/v1/routing-templates", Name: "api.template.list", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "List routing templates", handler: s.apiTemplateList},
		{Method: "POST", Pattern: "/api/v1/routing-templates", Name: "api.template.create", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Create a routing template", handler: s.apiTemplateCreate},
		{Method: "GET", Pattern: "/api/v1/inquiries/{id}/parts/{pid}/chains", Name: "api.part.chains", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Partner chains for a part's routing", handler: s.apiPartChains},
		{Method: "POST", Pattern: "/api/v1/steps/{id}/requests", Name: "api.request.send", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Send a step request to shops", handler: s.apiRequestsSend},
		{Method: "GET", Pattern: "/api/v1/requests", Name: "api.request.list", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "List step requests", handler: s.apiRequestList},
		{Method: "GET", Pattern: "/api/v1/requests/{id}", Name: "api.request.get", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Get a step request", handler: byID(s, nakamawashi.Store.FindRequestByID)},
		{Method: "POST", Pattern: "/api/v1/requests/{id}/answer", Name: "api.request.answer", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Answer or decline a step request", handler: s.apiRequestAnswer},
		{Method: "POST", Pattern: "/api/v1/requests/{id}/withdraw", Name: "api.request.withdraw", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Withdraw a step request", handler: s.apiRequestWithdraw},
		{Method: "POST", Pattern: "/api/v1/requests/{id}/choose", Name: "api.request.choose", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Choose a shop's answer for its step", handler: s.apiRequestChoose},
		{Method: "POST", Pattern: "/api/v1/inquiries/{id}/quotes/draft", Name: "api.quote.draft", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Compose a draft quote from the routings", handler: s.apiQuoteDraft},
		{Method: "GET", Pattern: "/api/v1/inquiries/{id}/quotes", Name: "api.quote.list", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "List an inquiry's quote versions", handler: s.apiQuoteList},
		{Method: "GET", Pattern: "/api/v1/quotes/{id}", Name: "api.quote.get", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Get a quote", handler: byID(s, nakamawashi.Store.FindQuoteByID)},
		{Method: "POST", Pattern: "/api/v1/quotes/{id}/send", Name: "api.quote.send", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Send a quote to the customer", handler: s.apiQuoteSend},
		{Method: "POST", Pattern: "/api/v1/quotes/{id}/accept", Name: "api.quote.accept", API: true, Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Accept a quote: the order", handler: s.apiQuoteAccept},
		{Method: "POST", Pattern: "/api/v1/quotes/{id}/reject", Name: "api.quote.reject", API: true, Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Reject a quote", handler: reasonAction(s, "", nakamawashi.Store.RejectQuote, nakamawashi.Store.FindQuoteByID)},
		{Method: "GET", Pattern: "/api/v1/orders", Name: "api.order.list", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "List orders", handler: s.apiOrderList},
		{Method: "GET", Pattern: "/api/v1/orders/{id}", Name: "api.order.get", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Get an order with its lots", handler: byID(s, nakamawashi.Store.FindOrderByID)},
		{Method: "POST", Pattern: "/api/v1/orders/{id}/cancel", Name: "api.order.cancel", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Cancel an order", handler: reasonAction(s, nakamawashi.PermCoordinate, nakamawashi.Store.CancelOrder, nakamawashi.Store.FindOrderByID)},
		{Method: "GET", Pattern: "/api/v1/work-orders", Name: "api.workorder.list", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "List work orders", handler: s.apiWorkOrderList},
		{Method: "GET", Pattern: "/api/v1/work-orders/{id}", Name: "api.workorder.get", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Get a work order", handler: byID(s, nakamawashi.Store.FindWorkOrderByID)},
		{Method: "POST", Pattern: "/api/v1/work-orders/{id}/accept", Name: "api.workorder.accept", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Accept a work order", handler: byID(s, nakamawashi.Store.AcceptWorkOrder)},
		{Method: "GET", Pattern: "/api/v1/lots/{code}", Name: "api.lot.get", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Get a lot by its traveler's code", handler: s.apiLotGet},
		{Method: "POST", Pattern: "/api/v1/lots/{code}/scan", Name: "api.lot.scan", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "Start, finish, hand off or receive a lot", handler: s.apiLotScan},
		{Method: "GET", Pattern: "/api/v1/lots/{code}/traveler.pdf", Name: "api.lot.traveler", API: true, Auth: req, Perm: nakamawashi.PermShopWork, Summary: "A lot's traveler (現品票) as PDF", handler: s.apiLotTraveler},
		{Method: "POST", Pattern: "/api/v1/orders/{id}/deliveries", Name: "api.delivery.create", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Deliver finished lots of an order", handler: s.apiDeliveryCreate},
		{Method: "GET", Pattern: "/api/v1/deliveries/{id}", Name: "api.delivery.get", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Get a delivery", handler: byID(s, nakamawashi.Store.FindDeliveryByID)},
		{Method: "POST", Pattern: "/api/v1/deliveries/{id}/accept", Name: "api.delivery.accept", API: true, Auth: req, Perm: nakamawashi.PermInquirySubmit, Summary: "Accept a delivery (検収)", handler: s.apiDeliveryAccept},
		{Method: "POST", Pattern: "/api/v1/invoices", Name: "api.invoice.create", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Issue a qualified invoice", handler: s.apiInvoiceCreate},
		{Method: "GET", Pattern: "/api/v1/invoices", Name: "api.invoice.list", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "List invoices", handler: listFlow(s, nakamawashi.Store.FindInvoices)},
		{Method: "GET", Pattern: "/api/v1/invoices/{id}", Name: "api.invoice.get", API: true, Auth: req, Perm: nakamawashi.PermInquiryRead, Summary: "Get an invoice", handler: byID(s, nakamawashi.Store.FindInvoiceByID)},
		{Method: "POST", Pattern: "/api/v1/invoices/{id}/payment", Name: "api.invoice.payment", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Record a customer's payment of an invoice (入金消込)", handler: s.apiInvoicePayment},
		{Method: "GET", Pattern: "/api/v1/payables", Name: "api.payable.list", API: true, Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "What the office owes the shops", handler: s.apiPayableList},
		{Method: "GET", Pattern: "/api/v1/companies/{id}/payment-terms", Name: "api.paymentterms.get", API: true, Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "A company's closing and payment days", handler: s.apiPaymentTermsGet},
		{Method: "PUT", Pattern: "/api/v1/companies/{id}/payment-terms", Name: "api.paymentterms.set", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Set a company's closing and payment days", handler: s.apiPaymentTermsSet},
		{Method: "GET", Pattern: "/api/v1/documents", Name: "api.document.list", API: true, Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "Search issued business records", handler: s.apiDocumentList},
		{Method: "GET", Pattern: "/api/v1/documents/export", Name: "api.document.export", API: true, Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "Export business records as CSV or a ZIP of PDFs", handler: s.apiDocumentExport},
		{Method: "GET", Pattern: "/api/v1/documents/{id}", Name: "api.document.get", API: true, Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "Get an issued business record", handler: byID(s, nakamawashi.Store.FindDocumentByID)},
		{Method: "GET", Pattern: "/api/v1/documents/{id}/pdf", Name: "api.document.pdf", API: true, Auth: req, Perm: nakamawashi.PermRecordsRead, Summary: "An issued business record as PDF", handler: s.apiDocumentPDF},
		{Method: "POST", Pattern: "/api/v1/documents/{id}/corrections", Name: "api.document.correct", API: true, Auth: req, Perm: nakamawashi.PermCoordinate, Summary: "Issue a corrected version of a record", handler: s.apiDocumentCorrect},
		{Method: "GET", Pattern: "/api/v1/notifications", Name: "api.notification.list", API: true, Auth: req, Summary: "The caller's company's notifications", handler: s.apiNotificationList},
		{Method: "POST", Pattern: "/api/v1/notifications/read", Name: "api.notification.read", API: true, Auth: req, Summary: "Mark notifications read", handler: s.apiNotificationRead},
	}
}

// dispatch hands the request to the mux, and answers misses itself so that
// API callers get JSON and people get a page in their language.
func (s *Server) dispatch(w gohttp.ResponseWriter, r *gohttp.Request) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	info := requestInfoFrom(r.Context())
	info.route = "unmatched"
	info.api = isAPIPath(r.URL.Path)
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if m == r.Method || (m == "GET" && r.Method == "HEAD") {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EMETHOD, "err.http.method"))
		return
	}
	s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
}

func isAPIPath(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }
