package signal

import (
	"math"
	"strconv"
)

// AppendFloat appends v in the shortest form that reads back as the same float64
// ("0.75", "1", "-0.0625"), or nothing for NaN, the undefined value, so a CSV field
// comes out empty.
func AppendFloat(dst []byte, v float64) []byte {
	if math.IsNaN(v) {
		return dst
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}
