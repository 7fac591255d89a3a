import random, csv
random.seed(7)
words=["acme","bolt","cargo","delta","echo","nova","orbit","pixel","quartz","river","summit","tango","umbra","vertex","willow","zephyr"]
with open('rows.csv','w',newline='') as f:
    w=csv.writer(f)
    for i in range(100000):
        name=f"{random.choice(words).title()} {random.choice(words).title()} {i}"
        plan=random.choices(["plan_free","plan_starter","plan_pro","plan_ent",""],[40,30,20,5,5])[0]
        r=random.random()
        ratio = 0.0 if r<0.5 else (random.random()*0.8 if r<0.9 else (0.8+random.random()*0.2 if r<0.96 else 1+random.random()))
        trial = 1765000000000+random.randint(0,14*86400000) if random.random()<0.03 else ""
        ov = random.choice([1,2]) if random.random()<0.02 else 0
        wf = "feat_api" if ratio>0 else ""
        lim = 1000 if ratio>0 else ""
        use = int(ratio*1000) if ratio>0 else ""
        w.writerow(["env1",f"comp_{i:08x}{random.randint(0,1<<30):08x}",name,name.lower(),f"{name.lower()}\ncomp_{i}\nacme-{i}\nops{i}@example.test",f"id: acme-{i}",plan,"",trial,ov,ratio,wf,use,lim,"",1700000000000+i*1000,1765000000000])
