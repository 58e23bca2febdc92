module github.com/myriadchain/myriad

go 1.26.8
