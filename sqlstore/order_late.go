package sqlstore

import (
	"context"

	"github.com/nakamawashi/nakamawashi"
)

// orderLate is the condition of a late order, with today's date twice: a
// lot past its current step's planned finish and not finished, or the
// order past its due date and not delivered.
const orderLate = `(EXISTS (SELECT 1 FROM lots ll WHERE ll.order_id = o.id AND ll.due < ?
		AND ll.status NOT IN ('completed', 'delivered'))
	OR (o.due_date < ? AND o.status IN ('confirmed', 'in_progress')))`

// orderIsLate is orderLate for an order read with its lots.
func orderIsLate(o *nakamawashi.Order, today nakamawashi.Date) bool {
	for _, l := range o.Lots {
		if l.Late {
			return true
		}
	}
	return today.After(o.DueDate) && (o.Status == nakamawashi.OrderConfirmed || o.Status == nakamawashi.OrderInProgress)
}

// ordersLate marks the late orders of a list.
func (s *Store) ordersLate(ctx context.Context, list []*nakamawashi.Order) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*nakamawashi.Order, len(list))
	ids := make([]int64, 0, len(list))
	for _, o := range list {
		byID[o.ID] = o
		ids = append(ids, o.ID)
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("FindOrders"), err)
	}
	defer tx.Rollback()
	today := dateValue(nakamawashi.DateOf(tx.now))
	for lo := 0; lo < len(ids); lo += riskChunk {
		chunk := ids[lo:min(lo+riskChunk, len(ids))]
		rows, err := tx.query(ctx, `SELECT o.id FROM orders o WHERE o.id IN (`+placeholders(len(chunk))+`) AND `+orderLate,
			append(int64Args(chunk), today, today)...)
		if err != nil {
			return nakamawashi.Internal(s.op("FindOrders"), err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nakamawashi.Internal(s.op("FindOrders"), err)
			}
			byID[id].Late = true
		}
		if err := rows.Close(); err != nil {
			return nakamawashi.Internal(s.op("FindOrders"), err)
		}
	}
	return nil
}
