package sparkplug

import (
	"fmt"
)

// DataSet is a table: the DataSet message of the schema. Each row holds one
// value per column, in the Go type of the column's datatype (see
// Metric.Value), or nil.
type DataSet struct {
	NumOfColumns uint64
	Columns      []string
	Types        []DataType
	Rows         [][]any
}

// Template is a user-defined type, or an instance of one: the Template
// message of the schema.
type Template struct {
	Version      string
	Metrics      []Metric
	Parameters   []Parameter
	TemplateRef  string
	IsDefinition bool
}

// Parameter is a parameter of a template.
type Parameter struct {
	Name  string
	Type  DataType
	Value any
}

// PropertySet is a set of named property values, as attached to a metric.
type PropertySet struct {
	Keys   []string
	Values []PropertyValue
}

// PropertyValue is one property. Value is in the Go type of Type: a
// *PropertySet for PropertySet and a []*PropertySet for PropertySetList.
type PropertyValue struct {
	Type   DataType
	IsNull bool
	Value  any
}

// Get returns the value of the property with the given key.
func (ps *PropertySet) Get(key string) (PropertyValue, bool) {
	for i, k := range ps.Keys {
		if k == key && i < len(ps.Values) {
			return ps.Values[i], true
		}
	}
	return PropertyValue{}, false
}

// uint32s decodes a repeated uint32 field, packed or not.
func uint32s(f field, to []DataType, d *decoder) ([]DataType, error) {
	if f.typ == wireVarint {
		return append(to, DataType(uint32(f.u))), d.item()
	}
	if err := f.want(wireBytes); err != nil {
		return to, err
	}
	for b := f.data; len(b) > 0; {
		v, n, err := consumeVarint(b)
		if err != nil {
			return to, fmt.Errorf("packed field %d: %w", f.num, err)
		}
		if err := d.item(); err != nil {
			return to, err
		}
		to, b = append(to, DataType(uint32(v))), b[n:]
	}
	return to, nil
}

func (d *decoder) dataSet(b []byte) (*DataSet, error) {
	ds := &DataSet{}
	var rows [][]wireValue
	err := eachField(b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			ds.NumOfColumns = f.u
			return f.want(wireVarint)
		case 2:
			ds.Columns = append(ds.Columns, string(f.data))
			if err := d.item(); err != nil {
				return err
			}
			return f.want(wireBytes)
		case 3:
			ds.Types, err = uint32s(f, ds.Types, d)
			return err
		case 4:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			row, err := d.row(f.data)
			rows = append(rows, row)
			return err
		}
		return nil
	})
	if err != nil {
		return ds, fmt.Errorf("dataset: %w", err)
	}
	for i, row := range rows {
		r := make([]any, len(row))
		for j, v := range row {
			t := Unknown
			if j < len(ds.Types) {
				t = ds.Types[j]
			}
			if r[j], err = typed(t, v); err != nil {
				return ds, fmt.Errorf("dataset row %d column %d: %w", i, j, err)
			}
		}
		ds.Rows = append(ds.Rows, r)
	}
	return ds, nil
}

func (d *decoder) row(b []byte) ([]wireValue, error) {
	var row []wireValue
	if err := d.item(); err != nil {
		return nil, err
	}
	return row, eachField(b, func(f field) error {
		if f.num != 1 {
			return nil
		}
		if err := f.want(wireBytes); err != nil {
			return err
		}
		if err := d.item(); err != nil {
			return err
		}
		var v wireValue
		err := eachField(f.data, func(f field) error {
			s, ok, err := scalar(f, 1)
			if ok {
				v = s
				return err
			}
			if f.num == 7 { // extension_value: not interpreted
				v = wireValue{}
			}
			return nil
		})
		row = append(row, v)
		return err
	})
}

func (d *decoder) template(b []byte) (*Template, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	defer d.leave()
	t := &Template{}
	err := eachField(b, func(f field) error {
		switch f.num {
		case 1:
			t.Version = string(f.data)
			return f.want(wireBytes)
		case 2:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			m, err := d.metric(f.data)
			t.Metrics = append(t.Metrics, m)
			return err
		case 3:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			p, err := d.parameter(f.data)
			t.Parameters = append(t.Parameters, p)
			return err
		case 4:
			t.TemplateRef = string(f.data)
			return f.want(wireBytes)
		case 5:
			t.IsDefinition = f.u != 0
			return f.want(wireVarint)
		}
		return nil
	})
	if err != nil {
		return t, fmt.Errorf("template: %w", err)
	}
	return t, nil
}

func (d *decoder) parameter(b []byte) (Parameter, error) {
	var p Parameter
	var v wireValue
	if err := d.item(); err != nil {
		return p, err
	}
	err := eachField(b, func(f field) error {
		switch f.num {
		case 1:
			p.Name = string(f.data)
			return f.want(wireBytes)
		case 2:
			p.Type = DataType(uint32(f.u))
			return f.want(wireVarint)
		case 9: // extension_value: not interpreted
			v = wireValue{}
			return nil
		}
		s, ok, err := scalar(f, 3)
		if ok {
			v = s
		}
		return err
	})
	if err != nil {
		return p, err
	}
	p.Value, err = typed(p.Type, v)
	if err != nil {
		return p, fmt.Errorf("parameter %q: %w", p.Name, err)
	}
	return p, nil
}

func (d *decoder) propertySet(b []byte) (*PropertySet, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	defer d.leave()
	ps := &PropertySet{}
	err := eachField(b, func(f field) error {
		switch f.num {
		case 1:
			ps.Keys = append(ps.Keys, string(f.data))
			if err := d.item(); err != nil {
				return err
			}
			return f.want(wireBytes)
		case 2:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			v, err := d.propertyValue(f.data)
			ps.Values = append(ps.Values, v)
			return err
		}
		return nil
	})
	if err != nil {
		return ps, fmt.Errorf("property set: %w", err)
	}
	return ps, nil
}

func (d *decoder) propertyValue(b []byte) (PropertyValue, error) {
	var p PropertyValue
	var v wireValue
	if err := d.item(); err != nil {
		return p, err
	}
	err := eachField(b, func(f field) error {
		switch f.num {
		case 1:
			p.Type = DataType(uint32(f.u))
			return f.want(wireVarint)
		case 2:
			p.IsNull = f.u != 0
			return f.want(wireVarint)
		case 9:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			ps, err := d.propertySet(f.data)
			v = wireValue{k: kPropSet, ps: ps}
			return err
		case 10:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			psl, err := d.propertySetList(f.data)
			v = wireValue{k: kPropList, psl: psl}
			return err
		case 11: // extension_value: not interpreted
			v = wireValue{}
			return nil
		}
		s, ok, err := scalar(f, 3)
		if ok {
			v = s
		}
		return err
	})
	if err != nil {
		return p, err
	}
	p.Value, err = typed(p.Type, v)
	return p, err
}

func (d *decoder) propertySetList(b []byte) ([]*PropertySet, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	defer d.leave()
	list := []*PropertySet{}
	return list, eachField(b, func(f field) error {
		if f.num != 1 {
			return nil
		}
		if err := f.want(wireBytes); err != nil {
			return err
		}
		ps, err := d.propertySet(f.data)
		list = append(list, ps)
		return err
	})
}

// Encoders.

func appendDataSet(b []byte, ds *DataSet) ([]byte, error) {
	if ds.NumOfColumns != 0 {
		b = appendVarintField(b, 1, ds.NumOfColumns)
	}
	for _, c := range ds.Columns {
		b = appendStringField(b, 2, c)
	}
	for _, t := range ds.Types {
		b = appendVarintField(b, 3, uint64(t))
	}
	for i, row := range ds.Rows {
		var rb []byte
		for j, x := range row {
			t := Unknown
			if j < len(ds.Types) {
				t = ds.Types[j]
			}
			v, err := toWire(t, x)
			if err != nil {
				return b, fmt.Errorf("dataset row %d column %d: %w", i, j, err)
			}
			eb, ok := appendScalar(nil, 1, v)
			if !ok && v.k != kNone {
				return b, fmt.Errorf("dataset row %d column %d: datatype %v cannot be a dataset value", i, j, t)
			}
			rb = appendBytesField(rb, 1, eb)
		}
		b = appendBytesField(b, 4, rb)
	}
	return b, nil
}

func appendTemplate(b []byte, t *Template) ([]byte, error) {
	var err error
	if t.Version != "" {
		b = appendStringField(b, 1, t.Version)
	}
	for i := range t.Metrics {
		if b, err = appendMessage(b, 2, func(b []byte) ([]byte, error) { return appendMetric(b, &t.Metrics[i]) }); err != nil {
			return b, fmt.Errorf("template metric %q: %w", t.Metrics[i].Name, err)
		}
	}
	for _, p := range t.Parameters {
		var pb []byte
		if p.Name != "" {
			pb = appendStringField(pb, 1, p.Name)
		}
		if p.Type != Unknown {
			pb = appendVarintField(pb, 2, uint64(p.Type))
		}
		v, err := toWire(p.Type, p.Value)
		if err != nil {
			return b, fmt.Errorf("template parameter %q: %w", p.Name, err)
		}
		pb, ok := appendScalar(pb, 3, v)
		if !ok && v.k != kNone {
			return b, fmt.Errorf("template parameter %q: datatype %v cannot be a parameter", p.Name, p.Type)
		}
		b = appendBytesField(b, 3, pb)
	}
	if t.TemplateRef != "" {
		b = appendStringField(b, 4, t.TemplateRef)
	}
	if t.IsDefinition {
		b = appendBoolField(b, 5, true)
	}
	return b, nil
}

func appendPropertySet(b []byte, ps *PropertySet) ([]byte, error) {
	for _, k := range ps.Keys {
		b = appendStringField(b, 1, k)
	}
	for _, pv := range ps.Values {
		var err error
		if b, err = appendMessage(b, 2, func(b []byte) ([]byte, error) { return appendPropertyValue(b, pv) }); err != nil {
			return b, err
		}
	}
	return b, nil
}

func appendPropertyValue(b []byte, pv PropertyValue) ([]byte, error) {
	if pv.Type != Unknown {
		b = appendVarintField(b, 1, uint64(pv.Type))
	}
	if pv.IsNull {
		b = appendBoolField(b, 2, true)
	}
	v, err := toWire(pv.Type, pv.Value)
	if err != nil {
		return b, fmt.Errorf("property: %w", err)
	}
	if b, ok := appendScalar(b, 3, v); ok {
		return b, nil
	}
	switch v.k {
	case kPropSet:
		return appendMessage(b, 9, func(b []byte) ([]byte, error) { return appendPropertySet(b, v.ps) })
	case kPropList:
		return appendMessage(b, 10, func(b []byte) ([]byte, error) {
			for _, ps := range v.psl {
				if ps == nil {
					ps = &PropertySet{}
				}
				var err error
				if b, err = appendMessage(b, 1, func(b []byte) ([]byte, error) { return appendPropertySet(b, ps) }); err != nil {
					return b, err
				}
			}
			return b, nil
		})
	case kNone:
		return b, nil
	}
	return b, fmt.Errorf("datatype %v cannot be a property", pv.Type)
}
