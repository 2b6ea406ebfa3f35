// A gRPC cluster reached over real gRPC (HTTP/2 on loopback), as Envoy's grpc_call reaches an
// envoy_grpc cluster: `grpcClusters: { ratelimit: "127.0.0.1:8081" }`. The module's message is
// sent as it is (no re-encoding); the answer's bytes, or its gRPC status, go back to the module.
import { Client, Metadata, credentials, type ServiceError } from "@grpc/grpc-js";
import type { GrpcHandler, GrpcRequest, GrpcResponse } from "./plugin.ts";

const clients = new Map<string, Client>();

function clientFor(address: string): Client {
  let c = clients.get(address);
  if (!c) {
    c = new Client(address, credentials.createInsecure());
    clients.set(address, c);
  }
  return c;
}

/** Closes the channels opened for string grpcClusters (tests call it when done). */
export function closeGrpcClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}

export function grpcUpstream(address: string): GrpcHandler {
  return (req: GrpcRequest) => new Promise<GrpcResponse>((resolve) => {
    const md = new Metadata();
    for (const [k, v] of req.metadata) md.add(k, v);
    clientFor(address).makeUnaryRequest(`/${req.service}/${req.method}`, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(req.message), md, {},
      (err: ServiceError | null, value?: Buffer) => {
        if (err) resolve({ status: err.code, message: err.details });
        else resolve({ status: 0, response: new Uint8Array(value ?? Buffer.alloc(0)) });
      });
  });
}
