package edge

// GPIOConfig says where the stack light's sensors are wired: a GPIO chip
// of the Linux character device and three of its lines.
type GPIOConfig struct {
	Chip      string // e.g. /dev/gpiochip0
	Lines     [3]int // the line offsets of the red, yellow and green lamps
	ActiveLow bool   // a lit lamp pulls its line low
	Bias      string // "", "pull-up" or "pull-down"
}

// Validate checks the configuration.
func (c GPIOConfig) Validate() error {
	const op = "edge.GPIOConfig"
	if c.Chip == "" {
		return invalid(op, "no GPIO chip: give one, e.g. /dev/gpiochip0")
	}
	for i, l := range c.Lines {
		if l < 0 || l > 1023 {
			return invalid(op, "GPIO line %d: want a line offset from 0 to 1023", l)
		}
		for _, m := range c.Lines[:i] {
			if m == l {
				return invalid(op, "GPIO line %d given twice: red, yellow and green need a line each", l)
			}
		}
	}
	switch c.Bias {
	case "", "pull-up", "pull-down":
	default:
		return invalid(op, "bias %q: want pull-up or pull-down", c.Bias)
	}
	return nil
}
