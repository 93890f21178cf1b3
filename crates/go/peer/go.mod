module tvcpeer

go 1.22
