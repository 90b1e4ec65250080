import FTLabHarness

extension RequestCheck {
    /// The request for `target` on a keep-alive connection to 127.0.0.1:`port`.
    package func request(port: UInt16) -> [UInt8] {
        Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: ftlab-loadgen\r\nAccept: */*\r\n\r\n".utf8)
    }
}
