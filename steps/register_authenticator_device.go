package steps

import (
	"context"
	"strconv"

	"github.com/pcflow/pcflow/scenario"
)

// registerAuthenticatorDeviceKind gives the profile a verified
// authenticator: request a device identifier → retrieve it → approve the
// device → register it as an authenticator. Votes need one.
func registerAuthenticatorDeviceKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "register-authenticator-device", Summary: "Register, approve and verify a new authenticator device; captures device_id.",
			Params:   []scenario.ParamSpec{opt("deviceName", scenario.TypeString, "", "default: pcflow-device-VU")},
			Captures: captures("device_id", "the new authenticator's device identifier"),
			Metrics:  totalPhase,
			Inner:    []string{"request-device-identifier", "retrieve-device-identifier", "approve-device", "register-authenticator"},
			Example:  "- register-authenticator-device: {}",
		},
		Session: true,
		run:     runRegisterAuthenticatorDevice,
	}
}

func runRegisterAuthenticatorDevice(ctx context.Context, c *call) error {
	name := c.str("deviceName")
	if name == "" {
		name = "pcflow-device-" + strconv.Itoa(c.vu.id)
	}
	dev, err := enrolDevice(ctx, c, name)
	if err != nil {
		return err
	}
	a, err := c.sess.RegisterAuthenticator(ctx, dev)
	if err = c.innerAck("register-authenticator", a, err); err != nil {
		return err
	}
	c.set("device_id", dev)
	return nil
}

// enrolDevice requests a device identifier named name, retrieves it and
// approves the device: what any role (authenticator, storage) needs first.
func enrolDevice(ctx context.Context, c *call, name string) (string, error) {
	s := c.sess
	req, err := s.RequestUniqueIdentifier(ctx, name)
	if err = c.innerAck("request-device-identifier", req, err); err != nil {
		return "", err
	}
	id, err := s.RetrieveUniqueIdentifier(ctx, req.CommandID)
	if err = c.innerOp("retrieve-device-identifier", id.Timing, err); err != nil {
		return "", err
	}
	a, err := s.ApproveDevice(ctx, id.DeviceIdentifier)
	if err = c.innerAck("approve-device", a, err); err != nil {
		return "", err
	}
	return id.DeviceIdentifier, nil
}
