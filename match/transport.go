package match

// Leg returns the transport over km (great-circle) from the company
// from (0: the origin): handling plus driving hours, and the price.
func (t Transport) Leg(from int64, km float64) Leg {
	return Leg{FromCompanyID: from, KM: km, Hours: t.BaseHours + km/t.KMPerHour, Yen: t.BaseYen + t.YenPerKM*km}
}
