-- The day the office recorded a customer's payment of an invoice (入金消込);
-- NULL until the invoice is paid.

ALTER TABLE invoices ADD COLUMN paid_on TEXT;
