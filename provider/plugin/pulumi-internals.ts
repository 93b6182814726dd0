/**
 * The gRPC library and protocol modules that `@pulumi/pulumi` itself loads (resolved from its own location, so
 * they are the very instances its provider server uses, whether or not npm hoisted them). Only the few members
 * the plugin touches are typed.
 */
import { createRequire } from "node:module";

export interface GrpcServerClass {
  prototype: { addService(service: object, implementation: Record<string, unknown>): void };
}
export interface Grpc {
  Server: GrpcServerClass;
  credentials: { createInsecure(): unknown };
}
export interface LogRequestMessage {
  setSeverity(value: number): void;
  setMessage(value: string): void;
}
export interface EngineProto {
  LogRequest: new () => LogRequestMessage;
  LogSeverity: { INFO: number };
}
export interface EngineService {
  EngineClient: new (address: string, credentials: unknown) => {
    log(request: LogRequestMessage, callback: (error: Error | null) => void): void;
  };
}

function fromPulumi(request: string): unknown {
  return createRequire(require.resolve("@pulumi/pulumi/provider"))(request);
}

export const grpcOfPulumi = (): Grpc => fromPulumi("@grpc/grpc-js") as Grpc;
export const providerServiceOfPulumi = (): object => (fromPulumi("../proto/provider_grpc_pb") as { ResourceProviderService: object }).ResourceProviderService;
export const engineProtoOfPulumi = (): EngineProto => fromPulumi("../proto/engine_pb") as EngineProto;
export const engineServiceOfPulumi = (): EngineService => fromPulumi("../proto/engine_grpc_pb") as EngineService;
