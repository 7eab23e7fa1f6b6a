package sparkplug

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// DataType is the datatype of a metric, property, parameter or DataSet
// column: the DataType enum of the Sparkplug B schema.
type DataType uint32

// The datatypes of Sparkplug B 3.0.
const (
	Unknown         DataType = 0
	Int8            DataType = 1
	Int16           DataType = 2
	Int32           DataType = 3
	Int64           DataType = 4
	UInt8           DataType = 5
	UInt16          DataType = 6
	UInt32          DataType = 7
	UInt64          DataType = 8
	Float           DataType = 9
	Double          DataType = 10
	Boolean         DataType = 11
	String          DataType = 12
	DateTime        DataType = 13
	Text            DataType = 14
	UUID            DataType = 15
	DataSetType     DataType = 16
	Bytes           DataType = 17
	File            DataType = 18
	TemplateType    DataType = 19
	PropertySetType DataType = 20
	PropertySetList DataType = 21
	Int8Array       DataType = 22
	Int16Array      DataType = 23
	Int32Array      DataType = 24
	Int64Array      DataType = 25
	UInt8Array      DataType = 26
	UInt16Array     DataType = 27
	UInt32Array     DataType = 28
	UInt64Array     DataType = 29
	FloatArray      DataType = 30
	DoubleArray     DataType = 31
	BooleanArray    DataType = 32
	StringArray     DataType = 33
	DateTimeArray   DataType = 34
)

var dataTypeNames = [...]string{
	"Unknown", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
	"Float", "Double", "Boolean", "String", "DateTime", "Text", "UUID", "DataSet", "Bytes",
	"File", "Template", "PropertySet", "PropertySetList", "Int8Array", "Int16Array",
	"Int32Array", "Int64Array", "UInt8Array", "UInt16Array", "UInt32Array", "UInt64Array",
	"FloatArray", "DoubleArray", "BooleanArray", "StringArray", "DateTimeArray",
}

// String returns the name the specification gives the datatype.
func (t DataType) String() string {
	if int(t) < len(dataTypeNames) {
		return dataTypeNames[t]
	}
	return "DataType(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// isArray reports whether t is one of the array types, which travel as
// little-endian packed bytes in bytes_value.
func (t DataType) isArray() bool { return t >= Int8Array && t <= DateTimeArray }

// kind says which member of a value oneof is set.
type kind uint8

const (
	kNone      kind = iota
	kInt            // uint32 int_value
	kLong           // uint64 long_value
	kFloat          // float float_value, u holds the bits
	kDouble         // double double_value, u holds the bits
	kBool           // bool boolean_value
	kString         // string string_value
	kBytes          // bytes bytes_value (metrics only)
	kDataSet        // dataset_value (metrics only)
	kTemplate       // template_value (metrics only)
	kPropSet        // propertyset_value (property values only)
	kPropList       // propertysets_value (property values only)
	kExtension      // extension_value: kept as its bytes, never interpreted
)

// wireValue is a value as it travels: the oneof member that is set and its
// content. It is typed by a datatype, which a DATA message may leave out
// and the birth then supplies.
type wireValue struct {
	k   kind
	u   uint64
	s   string
	b   []byte
	ds  *DataSet
	tpl *Template
	ps  *PropertySet
	psl []*PropertySet
}

// scalar decodes the six scalar members that every value oneof of the
// schema starts with, at field numbers base to base+5.
func scalar(f field, base int) (wireValue, bool, error) {
	var want int
	var v wireValue
	switch f.num - base {
	case 0:
		v, want = wireValue{k: kInt, u: uint64(uint32(f.u))}, wireVarint
	case 1:
		v, want = wireValue{k: kLong, u: f.u}, wireVarint
	case 2:
		v, want = wireValue{k: kFloat, u: f.u}, wireFixed32
	case 3:
		v, want = wireValue{k: kDouble, u: f.u}, wireFixed64
	case 4:
		v, want = wireValue{k: kBool, u: b2u(f.u != 0)}, wireVarint
	case 5:
		v, want = wireValue{k: kString, s: string(f.data)}, wireBytes
	default:
		return v, false, nil
	}
	return v, true, f.want(want)
}

// appendScalar writes the scalar members of v at base to base+5; it
// reports false for any other kind.
func appendScalar(b []byte, base int, v wireValue) ([]byte, bool) {
	switch v.k {
	case kInt:
		return appendVarintField(b, base, v.u), true
	case kLong:
		return appendVarintField(b, base+1, v.u), true
	case kFloat:
		return appendFixed32Field(b, base+2, uint32(v.u)), true
	case kDouble:
		return appendFixed64Field(b, base+3, v.u), true
	case kBool:
		return appendBoolField(b, base+4, v.u != 0), true
	case kString:
		return appendStringField(b, base+5, v.s), true
	}
	return b, false
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// typed returns the Go value of v read as datatype t:
//
//	Int8…Int64        int8, int16, int32, int64
//	UInt8…UInt64      uint8, uint16, uint32, uint64
//	Float, Double     float32, float64
//	Boolean           bool
//	String, Text, UUID string
//	DateTime          time.Time, in UTC, to the millisecond
//	Bytes, File and the array types []byte (arrays stay packed little-endian)
//	DataSet, Template *DataSet, *Template
//	PropertySet, PropertySetList *PropertySet, []*PropertySet
//
// An absent value is nil. With Unknown or a datatype this package does not
// know, the value keeps its wire type: uint32 for int_value, uint64 for
// long_value, and so on.
func typed(t DataType, v wireValue) (any, error) {
	if v.k == kNone {
		return nil, nil
	}
	integer := v.k == kInt || v.k == kLong
	mismatch := func() (any, error) {
		return nil, fmt.Errorf("datatype %v carried in %s", t, v.k.member())
	}
	switch t {
	case Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, DateTime:
		if !integer {
			return mismatch()
		}
		switch t {
		case Int8:
			return int8(v.u), nil
		case Int16:
			return int16(v.u), nil
		case Int32:
			return int32(v.u), nil
		case Int64:
			return int64(v.u), nil
		case UInt8:
			return uint8(v.u), nil
		case UInt16:
			return uint16(v.u), nil
		case UInt32:
			return uint32(v.u), nil
		case UInt64:
			return v.u, nil
		}
		return time.UnixMilli(int64(v.u)).UTC(), nil
	case Float:
		if v.k != kFloat {
			return mismatch()
		}
		return math.Float32frombits(uint32(v.u)), nil
	case Double:
		if v.k != kDouble {
			return mismatch()
		}
		return math.Float64frombits(v.u), nil
	case Boolean:
		if v.k != kBool {
			return mismatch()
		}
		return v.u != 0, nil
	case String, Text, UUID:
		if v.k != kString {
			return mismatch()
		}
		return v.s, nil
	case DataSetType:
		if v.k != kDataSet {
			return mismatch()
		}
		return v.ds, nil
	case TemplateType:
		if v.k != kTemplate {
			return mismatch()
		}
		return v.tpl, nil
	case PropertySetType:
		if v.k != kPropSet {
			return mismatch()
		}
		return v.ps, nil
	case PropertySetList:
		if v.k != kPropList {
			return mismatch()
		}
		return v.psl, nil
	}
	if t == Bytes || t == File || t.isArray() {
		if v.k != kBytes {
			return mismatch()
		}
		return v.b, nil
	}
	return raw(v), nil
}

// raw returns v in the Go type of its wire member.
func raw(v wireValue) any {
	switch v.k {
	case kInt:
		return uint32(v.u)
	case kLong:
		return v.u
	case kFloat:
		return math.Float32frombits(uint32(v.u))
	case kDouble:
		return math.Float64frombits(v.u)
	case kBool:
		return v.u != 0
	case kString:
		return v.s
	case kBytes, kExtension:
		return v.b
	case kDataSet:
		return v.ds
	case kTemplate:
		return v.tpl
	case kPropSet:
		return v.ps
	case kPropList:
		return v.psl
	}
	return nil
}

func (k kind) member() string {
	return [...]string{"no value", "int_value", "long_value", "float_value", "double_value",
		"boolean_value", "string_value", "bytes_value", "dataset_value", "template_value",
		"propertyset_value", "propertysets_value", "extension_value"}[k]
}

// toWire is the inverse of typed: it puts the Go value x of datatype t in
// the member the schema gives t. Integer datatypes take any Go integer in
// range; Float takes float32 or float64. With Unknown, x must be one of the
// wire types that typed returns for Unknown.
func toWire(t DataType, x any) (wireValue, error) {
	if x == nil {
		return wireValue{}, nil
	}
	bad := func() (wireValue, error) {
		return wireValue{}, fmt.Errorf("datatype %v cannot hold a %T", t, x)
	}
	switch t {
	case Int8, Int16, Int32, UInt8, UInt16, UInt32:
		i, ok := asInt(x)
		lo, hi := intRange(t)
		if !ok || i < lo || i > hi {
			return bad()
		}
		// Two's complement in 32 bits: -1 is 0xFFFFFFFF, as Tahu writes it.
		return wireValue{k: kInt, u: uint64(uint32(int32(i)))}, nil
	case Int64:
		if u, ok := x.(uint64); ok && u <= math.MaxInt64 {
			return wireValue{k: kLong, u: u}, nil
		}
		i, ok := asInt(x)
		if !ok {
			return bad()
		}
		return wireValue{k: kLong, u: uint64(i)}, nil
	case UInt64:
		if u, ok := x.(uint64); ok {
			return wireValue{k: kLong, u: u}, nil
		}
		i, ok := asInt(x)
		if !ok || i < 0 {
			return bad()
		}
		return wireValue{k: kLong, u: uint64(i)}, nil
	case DateTime:
		switch d := x.(type) {
		case time.Time:
			return wireValue{k: kLong, u: uint64(d.UnixMilli())}, nil
		case uint64:
			return wireValue{k: kLong, u: d}, nil
		}
		return bad()
	case Float:
		switch f := x.(type) {
		case float32:
			return wireValue{k: kFloat, u: uint64(math.Float32bits(f))}, nil
		case float64:
			return wireValue{k: kFloat, u: uint64(math.Float32bits(float32(f)))}, nil
		}
		return bad()
	case Double:
		switch f := x.(type) {
		case float64:
			return wireValue{k: kDouble, u: math.Float64bits(f)}, nil
		case float32:
			return wireValue{k: kDouble, u: math.Float64bits(float64(f))}, nil
		}
		return bad()
	case Boolean:
		if v, ok := x.(bool); ok {
			return wireValue{k: kBool, u: b2u(v)}, nil
		}
		return bad()
	case String, Text, UUID:
		if s, ok := x.(string); ok {
			return wireValue{k: kString, s: s}, nil
		}
		return bad()
	case DataSetType:
		if d, ok := x.(*DataSet); ok && d != nil {
			return wireValue{k: kDataSet, ds: d}, nil
		}
		return bad()
	case TemplateType:
		if d, ok := x.(*Template); ok && d != nil {
			return wireValue{k: kTemplate, tpl: d}, nil
		}
		return bad()
	case PropertySetType:
		if d, ok := x.(*PropertySet); ok && d != nil {
			return wireValue{k: kPropSet, ps: d}, nil
		}
		return bad()
	case PropertySetList:
		if d, ok := x.([]*PropertySet); ok {
			return wireValue{k: kPropList, psl: d}, nil
		}
		return bad()
	}
	if t == Bytes || t == File || t.isArray() {
		if b, ok := x.([]byte); ok {
			return wireValue{k: kBytes, b: b}, nil
		}
		return bad()
	}
	return fromRaw(t, x)
}

// fromRaw is the inverse of raw, for Unknown and unknown datatypes.
func fromRaw(t DataType, x any) (wireValue, error) {
	switch v := x.(type) {
	case uint32:
		return wireValue{k: kInt, u: uint64(v)}, nil
	case uint64:
		return wireValue{k: kLong, u: v}, nil
	case float32:
		return wireValue{k: kFloat, u: uint64(math.Float32bits(v))}, nil
	case float64:
		return wireValue{k: kDouble, u: math.Float64bits(v)}, nil
	case bool:
		return wireValue{k: kBool, u: b2u(v)}, nil
	case string:
		return wireValue{k: kString, s: v}, nil
	case []byte:
		return wireValue{k: kBytes, b: v}, nil
	case *DataSet:
		return wireValue{k: kDataSet, ds: v}, nil
	case *Template:
		return wireValue{k: kTemplate, tpl: v}, nil
	case *PropertySet:
		return wireValue{k: kPropSet, ps: v}, nil
	case []*PropertySet:
		return wireValue{k: kPropList, psl: v}, nil
	}
	return wireValue{}, fmt.Errorf("datatype %v cannot hold a %T", t, x)
}

func intRange(t DataType) (int64, int64) {
	switch t {
	case Int8:
		return math.MinInt8, math.MaxInt8
	case Int16:
		return math.MinInt16, math.MaxInt16
	case Int32:
		return math.MinInt32, math.MaxInt32
	case UInt8:
		return 0, math.MaxUint8
	case UInt16:
		return 0, math.MaxUint16
	}
	return 0, math.MaxUint32
}

// asInt converts any Go integer that fits an int64.
func asInt(x any) (int64, bool) {
	switch v := x.(type) {
	case int:
		return int64(v), true
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint:
		return int64(v), uint64(v) <= math.MaxInt64
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint64:
		return int64(v), uint64(v) <= math.MaxInt64
	}
	return 0, false
}
