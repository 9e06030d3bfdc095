package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// deviceKinds are V1–V8: registering, describing and approving devices.
func deviceKinds() []*Kind {
	return []*Kind{
		op(opDecl{
			name: "request-device-identifier", summary: "Start registering a new device (V1).",
			method: "POST", path: "/device/request-unique-identifier", async: true,
			params:   []scenario.ParamSpec{must("deviceName", scenario.TypeString, "the device's name")},
			captures: captures("device_request_id", "the command id, for retrieve-device-identifier"),
			run: func(ctx context.Context, c *call) error {
				a, err := c.sess.RequestUniqueIdentifier(ctx, c.str("deviceName"))
				if err == nil {
					c.set("device_request_id", a.CommandID)
				}
				return c.ack(a, err)
			},
		}),
		op(opDecl{
			name: "retrieve-device-identifier", summary: "Retrieve the identifier of a requested device (V2).",
			method: "POST", path: "/device/retrieve-unique-identifier",
			params:   []scenario.ParamSpec{must("id", scenario.TypeString, "request-device-identifier's command id")},
			captures: captures("device_id", "the device identifier"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveUniqueIdentifier(ctx, c.str("id"))
				if err == nil {
					c.set("device_id", r.DeviceIdentifier)
				}
				return c.done(r.Timing, err)
			},
		}),
		deviceList("retrieve-profile-devices", "List the profile's devices (V3).", "/device/retrieve-profile-devices",
			(*privicore.Session).RetrieveProfileDevices),
		op(opDecl{
			name: "configure-device-meta", summary: "Name a device (V4).",
			method: "POST", path: "/device/configure-meta", async: true,
			params: []scenario.ParamSpec{deviceParam, opt("name", scenario.TypeString, "", "a friendly name")},
			run: func(ctx context.Context, c *call) error {
				return c.ack(c.sess.ConfigureDeviceMeta(ctx, c.str("deviceIdentifier"), c.str("name")))
			},
		}),
		deviceCommand("approve-device", "Approve a requested device (V5).", "/device/approve-device",
			(*privicore.Session).ApproveDevice),
		deviceCommand("reject-device", "Reject a requested device (V6).", "/device/reject-device",
			(*privicore.Session).RejectDevice),
		op(opDecl{
			name: "retrieve-device-configuration", summary: "Download a device's configuration bundle (V7; it holds credentials and is never printed).",
			method: "POST", path: "/device/download-device-configuration",
			params: []scenario.ParamSpec{deviceParam},
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveDeviceConfiguration(ctx, c.str("deviceIdentifier"))
				c.count[receivedCounter] += int64(len(r.Reveal()))
				return c.done(r.Timing, err)
			},
		}),
		deviceCommand("remove-device", "Remove a device (V8).", "/device/remove", (*privicore.Session).RemoveDevice),
	}
}

// storageKinds are S1–S4: a device's storage role.
func storageKinds() []*Kind {
	return []*Kind{
		deviceCommand("register-storage-device", "Register a device as storage (S1).", "/storage/register",
			(*privicore.Session).RegisterStorageDevice),
		deviceList("list-storage-devices", "List the storage devices (S2).", "/storage/list-storage-devices",
			(*privicore.Session).ListStorageDevices),
		deviceCommand("synchronize-storage-device", "Synchronise a storage device (S3).", "/storage/sync-device",
			(*privicore.Session).SyncStorageDevice),
		deviceCommand("remove-storage-device", "Remove a device's storage role (S4).", "/storage/remove",
			(*privicore.Session).RemoveStorageDevice),
	}
}

var deviceParam = must("deviceIdentifier", scenario.TypeString, "the device identifier")

// deviceCommand declares an async command whose only input is a device.
func deviceCommand(name, summary, path string, f func(*privicore.Session, context.Context, string) (privicore.Ack, error)) *Kind {
	return op(opDecl{
		name: name, summary: summary, method: "POST", path: path, async: true,
		params: []scenario.ParamSpec{deviceParam},
		run: func(ctx context.Context, c *call) error {
			return c.ack(f(c.sess, ctx, c.str("deviceIdentifier")))
		},
	})
}

// deviceList declares a read that answers a list of devices.
func deviceList(name, summary, path string, f func(*privicore.Session, context.Context) (privicore.DeviceList, error)) *Kind {
	return op(opDecl{
		name: name, summary: summary, method: "GET", path: path,
		captures: captures("device_ids", "the listed devices' identifiers", "device_count", "how many"),
		example:  "- " + name + ": {}",
		run: func(ctx context.Context, c *call) error {
			r, err := f(c.sess, ctx)
			keep(c, r.Devices)
			if err == nil {
				ids := make([]string, len(r.Devices))
				for i, d := range r.Devices {
					ids[i] = d.DeviceIdentifier
				}
				c.set("device_ids", ids)
				c.set("device_count", int64(len(ids)))
			}
			return c.done(r.Timing, err)
		},
	})
}
