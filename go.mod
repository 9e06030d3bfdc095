module github.com/pcflow/pcflow

go 1.26
