package http

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// addFlowAPI adds the order flow to the OpenAPI document. Its schemas are
// derived from the domain types' JSON tags, so that the document follows
// the records when they change.
func addFlowAPI(doc obj) {
	paths, schemas := doc["paths"].(obj), doc["components"].(obj)["schemas"].(obj)
	gen := &schemaGen{schemas: schemas}
	for name, v := range map[string]any{
		"Inquiry": nakamawashi.Inquiry{}, "InquiryCreate": inquiryCreate{}, "RoutingBody": routingBody{},
		"RoutingTemplate": nakamawashi.RoutingTemplate{}, "TemplateCreate": templateCreate{}, "Step": nakamawashi.Step{},
		"Drawing": nakamawashi.Drawing{}, "DrawingView": nakamawashi.DrawingView{},
		"Request": nakamawashi.Request{}, "RequestsBody": requestsBody{}, "AnswerBody": answerBody{},
		"Quote": nakamawashi.Quote{}, "DraftInput": draftInput{}, "ReasonBody": reasonBody{},
		"Order": nakamawashi.Order{}, "WorkOrder": nakamawashi.WorkOrder{}, "Lot": nakamawashi.Lot{}, "LotScan": nakamawashi.LotScan{},
		"Delivery": nakamawashi.Delivery{}, "DeliveryBody": deliveryBody{}, "Acceptance": nakamawashi.Acceptance{},
		"Invoice": nakamawashi.Invoice{}, "CreateInvoice": nakamawashi.CreateInvoice{}, "Payment": paymentBody{}, "Payable": nakamawashi.Payable{},
		"PaymentTerms": paymentTermsBody{}, "IssuedDocument": nakamawashi.IssuedDocument{}, "CorrectionBody": correctionBody{},
		"Notification": nakamawashi.Notification{}, "ReadBody": readBody{},
	} {
		gen.define(name, reflect.TypeOf(v))
	}

	id := pathParam("id", "Record id")
	code := obj{"name": "code", "in": "path", "required": true, "description": "The code in the traveler's QR URL",
		"schema": obj{"type": "string", "pattern": "^[0-9A-Za-z_-]{1,64}$"}}
	date := func(name, desc string) obj { return queryParam(name, desc, obj{"type": "string", "format": "date"}) }
	flowFilter := withPage(
		queryParam("company_id", "The counterparty", obj{"type": "integer"}),
		queryParam("counterparty", "Part of the counterparty's name", obj{"type": "string"}),
		date("from", "From this date (2006-01-02), inclusive"), date("to", "To this date, inclusive"),
		queryParam("min_amount", "Total with tax, at least (yen)", obj{"type": "integer"}),
		queryParam("max_amount", "Total with tax, at most (yen)", obj{"type": "integer"}),
		queryParam("status", "Status", obj{"type": "string"}),
	)
	docFilter := []obj{
		queryParam("kind", "Document kind", obj{"type": "string", "enum": nakamawashi.DocumentKinds}),
		date("from", "Issued from (2006-01-02), inclusive"), date("to", "Issued to, inclusive"),
		queryParam("min_amount", "Total with tax, at least (yen)", obj{"type": "integer"}),
		queryParam("max_amount", "Total with tax, at most (yen)", obj{"type": "integer"}),
		queryParam("counterparty", "Part of the counterparty's name", obj{"type": "string"}),
		queryParam("counterparty_id", "The counterparty", obj{"type": "integer"}),
		queryParam("number", "Document number", obj{"type": "string"}),
		queryParam("all_versions", "Include superseded versions", obj{"type": "boolean"}),
	}
	pdfOK := obj{"description": "The PDF", "content": obj{"application/pdf": obj{"schema": obj{"type": "string", "format": "binary"}}}}
	dates := queryParam("dates", "西暦 (default) or 和暦", obj{"type": "string", "enum": []string{"seireki", "wareki"}})
	paper := queryParam("paper", "Paper size (default A4)", obj{"type": "string", "enum": []string{"A4", "A5"}})
	optBody := func(name string) obj {
		return obj{"required": false, "content": obj{"application/json": obj{"schema": ref(name)}}}
	}
	act := []string{"400", "401", "403", "404", "409", "413", "415"}
	read := []string{"401", "403", "404"}

	paths["/api/v1/inquiries"] = obj{
		"post": op("Submit an inquiry with its parts", "createInquiry", nil, jsonBody(ref("InquiryCreate")), "201", okJSON("The inquiry", ref("Inquiry")), act...),
		"get":  op("List inquiries", "listInquiries", flowFilter, nil, "200", okJSON("Inquiries", listOf("Inquiry")), "400", "401", "403"),
	}
	paths["/api/v1/inquiries/{id}"] = obj{"get": op("Get an inquiry with its parts, steps and drawings", "getInquiry", []obj{id}, nil, "200", okJSON("The inquiry; for the customer the steps carry no shop", ref("Inquiry")), read...)}
	paths["/api/v1/inquiries/{id}/cancel"] = obj{"post": op("Withdraw an inquiry", "cancelInquiry", []obj{id}, optBody("ReasonBody"), "200", okJSON("The inquiry", ref("Inquiry")), act...)}
	paths["/api/v1/parts/{id}/drawings"] = obj{"post": op("Upload a drawing of a part, or a new version of one", "uploadDrawing", []obj{pathParam("id", "Part id")},
		obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": schemaObject([]string{"file"}, obj{
			"file":       obj{"type": "string", "format": "binary", "description": "PDF, DXF, STEP or an image, at most 50 MiB; the type is read from the bytes and must agree with the extension"},
			"note":       str("What changed (改訂内容)"),
			"drawing_id": integer("A drawing of the part: the file becomes its next version"),
		})}}}, "201", okJSON("The drawing with its versions", ref("Drawing")), act...)}
	paths["/api/v1/drawings/{id}/content"] = obj{"get": op("Download a drawing; the view is logged before the file is sent", "getDrawingContent",
		[]obj{id, queryParam("version", "Version (default the latest)", obj{"type": "integer", "minimum": 1})}, nil, "200",
		obj{"description": "The file, as an attachment of the type decided at upload", "content": obj{"application/octet-stream": obj{"schema": obj{"type": "string", "format": "binary"}}}}, append(read, "400")...)}
	paths["/api/v1/drawings/{id}/views"] = obj{"get": op("Who viewed a drawing and when", "listDrawingViews", []obj{id}, nil, "200", okJSON("Views, newest first", listOf("DrawingView")), read...)}
	paths["/api/v1/parts/{id}/routing"] = obj{"put": op("Replace a part's routing: steps, or a template's", "setRouting", []obj{pathParam("id", "Part id")}, jsonBody(ref("RoutingBody")), "200", okJSON("The steps", listOf("Step")), act...)}
	paths["/api/v1/routing-templates"] = obj{
		"get":  op("List routing templates", "listRoutingTemplates", nil, nil, "200", okJSON("Templates", listOf("RoutingTemplate")), "401", "403"),
		"post": op("Create a routing template", "createRoutingTemplate", nil, jsonBody(ref("TemplateCreate")), "201", okJSON("The template", ref("RoutingTemplate")), act...),
	}
	paths["/api/v1/inquiries/{id}/parts/{pid}/chains"] = obj{"get": op("Partner chains for a part's routing", "partChains",
		[]obj{id, pathParam("pid", "Part id"), queryParam("k", "Chains (default 5)", obj{"type": "integer", "minimum": 1, "maximum": 20})}, nil, "200",
		okJSON("The best chains and who was excluded", ref("MatchResult")), append(read, "400", "409")...)}
	paths["/api/v1/steps/{id}/requests"] = obj{"post": op("Send a step request to shops, or to every capable shop (open)", "sendRequests", []obj{pathParam("id", "Step id")}, jsonBody(ref("RequestsBody")), "201", okJSON("The requests", listOf("Request")), act...)}
	paths["/api/v1/requests"] = obj{"get": op("List step requests (a shop sees its own)", "listRequests", withPage(
		queryParam("inquiry_id", "Inquiry", obj{"type": "integer"}), queryParam("step_id", "Step", obj{"type": "integer"}),
		queryParam("company_id", "Shop", obj{"type": "integer"}), queryParam("status", "Statuses, comma-separated", obj{"type": "string"}),
	), nil, "200", okJSON("Requests", listOf("Request")), "400", "401", "403")}
	paths["/api/v1/requests/{id}"] = obj{"get": op("Get a step request", "getRequest", []obj{id}, nil, "200", okJSON("The request", ref("Request")), read...)}
	paths["/api/v1/requests/{id}/answer"] = obj{"post": op("Answer or decline a step request", "answerRequest", []obj{id}, jsonBody(ref("AnswerBody")), "200", okJSON("The request", ref("Request")), act...)}
	paths["/api/v1/requests/{id}/withdraw"] = obj{"post": op("Withdraw a step request", "withdrawRequest", []obj{id}, nil, "200", okJSON("The request", ref("Request")), act...)}
	paths["/api/v1/requests/{id}/choose"] = obj{"post": op("Choose a shop's answer for its step", "chooseAnswer", []obj{id}, nil, "200", okJSON("The request", ref("Request")), act...)}
	paths["/api/v1/inquiries/{id}/quotes/draft"] = obj{"post": op("Compose a draft quote: chosen answers, else the best chain's estimates, transport and fees", "draftQuote", []obj{id}, optBody("DraftInput"), "201", okJSON("The draft", ref("Quote")), act...)}
	paths["/api/v1/inquiries/{id}/quotes"] = obj{"get": op("List an inquiry's quote versions", "listQuotes", []obj{id}, nil, "200", okJSON("Quotes; the customer sees no costing", listOf("Quote")), read...)}
	paths["/api/v1/quotes/{id}"] = obj{"get": op("Get a quote", "getQuote", []obj{id}, nil, "200", okJSON("The quote; the customer sees no costing", ref("Quote")), read...)}
	paths["/api/v1/quotes/{id}/send"] = obj{"post": op("Send a quote to the customer (issues its 見積書)", "sendQuote", []obj{id}, nil, "200", okJSON("The quote", ref("Quote")), act...)}
	paths["/api/v1/quotes/{id}/accept"] = obj{"post": op("Accept a quote: the order, its 注文請書, the work orders and their 注文書", "acceptQuote", []obj{id}, optBody("ReasonBody"), "201", okJSON("The order", ref("Order")), act...)}
	paths["/api/v1/quotes/{id}/reject"] = obj{"post": op("Reject a quote", "rejectQuote", []obj{id}, optBody("ReasonBody"), "200", okJSON("The quote", ref("Quote")), act...)}
	paths["/api/v1/orders"] = obj{"get": op("List orders", "listOrders", append(slices.Clip(flowFilter),
		queryParam("at_risk", "Only the orders at risk from a machine alarm (1 or true)", obj{"type": "boolean"}),
		queryParam("late", "Only the late orders: a lot past its step's planned finish, or the order past its due date (1 or true)", obj{"type": "boolean"})),
		nil, "200", okJSON("Orders", listOf("Order")), "400", "401", "403")}
	paths["/api/v1/orders/{id}"] = obj{"get": op("Get an order with its lots (and, for the office, its work orders)", "getOrder", []obj{id}, nil, "200", okJSON("The order", ref("Order")), read...)}
	paths["/api/v1/orders/{id}/cancel"] = obj{"post": op("Cancel an order", "cancelOrder", []obj{id}, optBody("ReasonBody"), "200", okJSON("The order", ref("Order")), act...)}
	paths["/api/v1/work-orders"] = obj{"get": op("List work orders (a shop sees its own)", "listWorkOrders", withPage(
		queryParam("order_id", "Order", obj{"type": "integer"}), queryParam("company_id", "Shop", obj{"type": "integer"}),
		queryParam("status", "Statuses, comma-separated", obj{"type": "string"}),
	), nil, "200", okJSON("Work orders", listOf("WorkOrder")), "400", "401", "403")}
	paths["/api/v1/work-orders/{id}"] = obj{"get": op("Get a work order", "getWorkOrder", []obj{id}, nil, "200", okJSON("The work order", ref("WorkOrder")), read...)}
	paths["/api/v1/work-orders/{id}/accept"] = obj{"post": op("Accept a work order (請け)", "acceptWorkOrder", []obj{id}, nil, "200", okJSON("The work order", ref("WorkOrder")), act...)}
	paths["/api/v1/lots/{code}"] = obj{"get": op("Get a lot by its traveler's code", "getLot", []obj{code}, nil, "200", okJSON("The lot with its steps and events", ref("Lot")), read...)}
	paths["/api/v1/lots/{code}/scan"] = obj{"post": op("Start, finish, hand off or receive a lot", "scanLot", []obj{code}, jsonBody(ref("LotScan")), "200", okJSON("The lot", ref("Lot")), act...)}
	paths["/api/v1/lots/{code}/traveler.pdf"] = obj{"get": op("A lot's traveler (現品票) with its QR code", "getTraveler", []obj{code, paper, dates}, nil, "200", pdfOK, append(read, "400")...)}
	paths["/api/v1/orders/{id}/deliveries"] = obj{"post": op("Deliver finished lots of an order (issues the 納品書)", "createDelivery", []obj{id}, jsonBody(ref("DeliveryBody")), "201", okJSON("The delivery", ref("Delivery")), act...)}
	paths["/api/v1/deliveries/{id}"] = obj{"get": op("Get a delivery", "getDelivery", []obj{id}, nil, "200", okJSON("The delivery", ref("Delivery")), read...)}
	paths["/api/v1/deliveries/{id}/accept"] = obj{"post": op("Accept a delivery (検収)", "acceptDelivery", []obj{id}, jsonBody(ref("Acceptance")), "200", okJSON("The delivery", ref("Delivery")), act...)}
	paths["/api/v1/invoices"] = obj{
		"post": op("Issue a qualified invoice (適格請求書) for orders or a period", "createInvoice", nil, jsonBody(ref("CreateInvoice")), "201", okJSON("The invoice", ref("Invoice")), act...),
		"get":  op("List invoices", "listInvoices", flowFilter, nil, "200", okJSON("Invoices", listOf("Invoice")), "400", "401", "403"),
	}
	paths["/api/v1/invoices/{id}"] = obj{"get": op("Get an invoice", "getInvoice", []obj{id}, nil, "200", okJSON("The invoice", ref("Invoice")), read...)}
	paths["/api/v1/invoices/{id}/payment"] = obj{"post": op("Record a customer's payment of an issued invoice (入金消込)", "recordPayment", []obj{id}, jsonBody(ref("Payment")), "200", okJSON("The paid invoice", ref("Invoice")), act...)}
	paths["/api/v1/payables"] = obj{"get": op("What the office owes the shops, by payment date", "listPayables", []obj{
		queryParam("company_id", "Shop", obj{"type": "integer"}), date("from", "Payment from"), date("to", "Payment to"),
	}, nil, "200", okJSON("Payables", listOf("Payable")), "400", "401", "403")}
	paths["/api/v1/companies/{id}/payment-terms"] = obj{
		"get": op("A company's closing and payment days", "getPaymentTerms", []obj{id}, nil, "200", okJSON("The terms", ref("PaymentTerms")), read...),
		"put": op("Set a company's closing and payment days", "setPaymentTerms", []obj{id}, jsonBody(ref("PaymentTerms")), "200", okJSON("The terms", ref("PaymentTerms")), act...),
	}
	paths["/api/v1/documents"] = obj{"get": op("Search issued business records (電子帳簿保存法)", "listDocuments", withPage(docFilter...), nil, "200", okJSON("Records, without their data", listOf("IssuedDocument")), "400", "401", "403")}
	paths["/api/v1/documents/export"] = obj{"get": op("Export the records a search finds", "exportDocuments", append([]obj{
		queryParam("format", "csv (default) or zip of PDFs", obj{"type": "string", "enum": []string{"csv", "zip"}}),
		queryParam("encoding", "CSV: UTF-8 with BOM (default) or Shift_JIS", obj{"type": "string", "enum": []string{"utf8", "sjis"}}),
		dates,
	}, docFilter...), nil, "200", obj{"description": "The export", "content": obj{
		"text/csv":        obj{"schema": obj{"type": "string"}},
		"application/zip": obj{"schema": obj{"type": "string", "format": "binary"}},
	}}, "400", "401", "403")}
	paths["/api/v1/documents/{id}"] = obj{"get": op("Get an issued business record with its data", "getDocument", []obj{id}, nil, "200", okJSON("The record", ref("IssuedDocument")), read...)}
	paths["/api/v1/documents/{id}/pdf"] = obj{"get": op("An issued business record as PDF, as it was issued", "getDocumentPDF", []obj{id, dates}, nil, "200", pdfOK, append(read, "400")...)}
	paths["/api/v1/documents/{id}/corrections"] = obj{"post": op("Issue a corrected version of a record (the old one is kept, superseded)", "correctDocument", []obj{id}, jsonBody(ref("CorrectionBody")), "201", okJSON("The new version", ref("IssuedDocument")), act...)}
	paths["/api/v1/notifications"] = obj{"get": op("The caller's company's notifications, newest first", "listNotifications", []obj{
		queryParam("unread", "Only unread", obj{"type": "boolean"}), pageParams[1],
	}, nil, "200", okJSON("Notifications", listOf("Notification")), "400", "401")}
	paths["/api/v1/notifications/read"] = obj{"post": op("Mark notifications read", "readNotifications", nil, jsonBody(ref("ReadBody")), "204", obj{"description": "Marked"}, "400", "401", "413", "415")}
}

// schemaGen derives JSON schemas from Go types by their JSON tags.
type schemaGen struct {
	schemas obj
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(nakamawashi.Date{})
)

// define adds the schema of t under name (if it is not there yet).
func (g *schemaGen) define(name string, t reflect.Type) {
	if _, ok := g.schemas[name]; ok {
		return
	}
	g.schemas[name] = obj{} // against recursion
	g.schemas[name] = g.object(t)
}

// object is the schema of a struct type.
func (g *schemaGen) object(t reflect.Type) obj {
	props := obj{}
	var required []string
	g.fields(t, props, &required)
	return schemaObject(required, props)
}

func (g *schemaGen) fields(t reflect.Type, props obj, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			g.fields(ft, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// schema is the schema of a field's type.
func (g *schemaGen) schema(t reflect.Type) obj {
	switch t {
	case timeType:
		return obj{"type": "string", "format": "date-time"}
	case dateType:
		return obj{"type": "string", "format": "date", "description": "2006-01-02"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.Slice, reflect.Array:
		return obj{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return g.object(t)
		}
		g.define(name, t)
		return ref(name)
	}
	return obj{}
}
