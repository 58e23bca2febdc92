// Package abi is the guest side of docs/app-abi.md shared by contracts and
// services: the host functions both kinds of module may import (take,
// output, abort, log, context, parameters, read, scan) and the entry-point
// wrapper that turns a panic into abort. It only has code for GOOS=wasip1;
// sdk/contract and sdk/service add the functions of their own kind.
package abi
